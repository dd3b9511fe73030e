/**
 * @module interfaces/cli/progress
 * A one-line progress display on a terminal (stderr): the phase, files done of total, files per second,
 * MB/s and the time left while parsing. Quiet when stderr is not a terminal (the caller decides).
 */
import type { IndexProgress } from '../../engine/index.js';
import type { CliIo } from './program.js';

/** A progress callback that redraws at most ten times a second. */
export function progressReporter(io: CliIo): (progress: IndexProgress) => void {
  let last = 0;
  let phase = '';
  let phaseStart = Date.now();
  return (progress) => {
    const now = Date.now();
    if (progress.phase !== phase) {
      phase = progress.phase;
      phaseStart = now;
    } else if (now - last < 100 && progress.done < progress.total) return;
    last = now;
    const seconds = Math.max((now - phaseStart) / 1000, 0.001);
    let text = `${progress.phase}…`;
    if (progress.total > 0) {
      text = `${progress.phase} ${progress.done}/${progress.total} files`;
      if (progress.phase === 'parse' && progress.done > 0) {
        const rate = progress.done / seconds;
        const left = (progress.total - progress.done) / rate;
        text += `, ${rate.toFixed(0)} files/s`;
        if (progress.bytes !== undefined) text += `, ${(progress.bytes / 1e6 / seconds).toFixed(1)} MB/s`;
        if (progress.done < progress.total) text += `, ETA ${formatSeconds(left)}`;
      }
    }
    const done =
      progress.phase === 'write' || (progress.phase === 'parse' && progress.done === progress.total);
    io.err(`\r\u001b[2K${text}${done && progress.phase === 'write' ? '\n' : ''}`);
  };
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
