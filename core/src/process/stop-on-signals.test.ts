import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const helper = fileURLToPath(new URL('./stop-on-signals.ts', import.meta.url));

/** Runs a process that registers stopOnSignals, sends it `signal` (twice), and reports how it ended. */
const runAndSignal = (stopBody: string, signal: NodeJS.Signals) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const script = `
      import { stopOnSignals } from ${JSON.stringify(helper)};
      let calls = 0;
      stopOnSignals(async () => { calls += 1; console.log('stop ' + calls); ${stopBody} },
        { onSignal: (signal) => console.log('got ' + signal), onError: (error) => console.log('failed: ' + error.message) });
      console.log('ready');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready') && !child.killed) {
        child.kill(signal);
        child.kill(signal);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });

describe('stopOnSignals', () => {
  it('stops once on SIGTERM, even when the signal comes twice, and exits 0', async () => {
    const { code, output } = await runAndSignal('await new Promise((r) => setTimeout(r, 50));', 'SIGTERM');
    expect(code).toBe(0);
    expect(output).toContain('got SIGTERM');
    expect(output.match(/stop \d/g)).toEqual(['stop 1']);
  });

  it('exits 1 and reports the error when stopping fails on SIGINT', async () => {
    const { code, output } = await runAndSignal("throw new Error('redis would not close');", 'SIGINT');
    expect(code).toBe(1);
    expect(output).toContain('failed: redis would not close');
  });

  it('stops and exits 0 when the parent that started it over an IPC channel goes away', async () => {
    const script = `
      import { stopOnSignals } from ${JSON.stringify(helper)};
      stopOnSignals(async () => console.log('stopped'), { onSignal: (reason) => console.log('got ' + reason) });
      console.log('ready');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Closing our end of the channel is what the child sees when its parent dies, even by SIGKILL.
      if (output.includes('ready') && child.connected) child.disconnect();
    });
    expect(await exited).toBe(0);
    expect(output).toContain('got parent-exit');
    expect(output).toContain('stopped');
  });
});
