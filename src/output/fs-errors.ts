/** A file-system fault in words a user can act on: what happened, to which path, and what to do. */
export interface FileSystemProblem {
  path: string;
  message: string;
  hint: string;
}

const PROBLEMS: Record<string, { message: string; hint: string }> = {
  EACCES: { message: 'permission denied', hint: 'give your user write access to this folder, or choose another with --out' },
  EPERM: { message: 'the operation is not permitted', hint: 'check the folder\'s permissions and that no other program holds it' },
  EROFS: { message: 'the file system is read-only', hint: 'choose an output folder on a writable disk with --out' },
  ENOSPC: { message: 'the disk is full', hint: 'free some space (an old output or cache folder?) and build again' },
  EDQUOT: { message: 'the disk quota is exceeded', hint: 'free some space and build again' },
  ENOTDIR: { message: 'a file stands where a folder is needed', hint: 'remove that file, or choose another folder' },
  EISDIR: { message: 'a folder stands where a file is needed', hint: 'remove that folder, or choose another' },
  EEXIST: { message: 'something is already there', hint: 'remove it and build again' },
  ENAMETOOLONG: { message: 'a file name is too long for this file system', hint: 'shorten the permalink or slug' },
  EMFILE: { message: 'too many open files', hint: 'raise the open-file limit (ulimit -n) and build again' },
  EBUSY: { message: 'the path is busy', hint: 'close programs that use the folder and build again' },
  EIO: { message: 'the disk reported an input/output error', hint: 'check the disk' },
  ENOENT: { message: 'a file or folder disappeared while Recap used it', hint: 'do not change the folder while it builds, and build again' },
  ELOOP: { message: 'a symbolic link stands where a file is needed (Recap never follows links)', hint: 'put the file itself there instead of a link' },
};

/** Describes a Node.js file-system error, or undefined when the error is not one (a bug, then). */
export function fileSystemProblem(err: unknown, fallbackPath: string): FileSystemProblem | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? PROBLEMS[code] : undefined;
  if (!known) return undefined;
  return { path: (err as NodeJS.ErrnoException).path ?? fallbackPath, ...known };
}
