/** 1-based file line of a line in the front matter text. */
export function frontMatterLine(line) {
    return line + 1;
}
