import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { serveNodeFlags } from './node-flags.js';

/** The signals a serve process passes on to the server it started. */
const PASSED_ON: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Whether recap serve must start a process of its own to run with V8's default young generation:
 * V8 sizes it once, when a process starts, and the recap binary starts with the one-off
 * commands' (ONE_OFF_YOUNG_GENERATION). On Windows, where a detached process gets a console of its
 * own, it serves in this process instead.
 */
export function servesInOwnProcess(execArgv: readonly string[] = process.execArgv, platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32' && serveNodeFlags(execArgv).length !== execArgv.length;
}

/**
 * Runs `recap serve ARGS` in a process of its own, with this process's Node flags less the one-off
 * commands' young generation, and waits for it: its exit status is this command's. It is in a process group
 * of its own, so Ctrl-C reaches it once, from here, as any signal sent to this process does
 * (a second Ctrl-C stops it at once, as it would have stopped this process). It writes to this
 * process's output, and stops by itself when this process is gone (see stopWithStarter).
 */
export function serveInOwnProcess(cliFile: string, args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...serveNodeFlags(process.execArgv), cliFile, 'serve', ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  const passOn = (signal: NodeJS.Signals) => void child.kill(signal);
  for (const signal of PASSED_ON) process.on(signal, passOn);
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const each of PASSED_ON) process.off(each, passOn);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

/** In a serve process started by serveInOwnProcess: stops it as SIGTERM does once the process that started it is gone, however that went. */
export function stopWithStarter(): void {
  if (!process.channel) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // Only the server keeps this process running: once it has stopped, the channel does not.
  process.channel.unref();
}
