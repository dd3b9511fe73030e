/**
 * @module retrieve/source-lines
 * Lines of a source text, found on demand: the context packer reads a few ranges of many files, so it indexes
 * line starts only as far as it reads instead of splitting whole files.
 */

/** @internal Zero-based lines of a text, split at `\n` (a `\r` before it is dropped), as `text.split('\n')` would give. */
export class SourceLines {
  /** Offsets where the lines found so far start. */
  private readonly starts: number[] = [0];
  private complete = false;

  constructor(private readonly text: string) {}

  /** Whether line `line` exists. */
  has(line: number): boolean {
    if (line < 0 || !Number.isInteger(line)) return false;
    this.scanTo(line);
    return line < this.starts.length;
  }

  /** Lines `first` to `last` (inclusive) joined by `\n`; `''` for lines that do not exist. */
  slice(first: number, last: number): string {
    if (!this.has(first) || last < first) return '';
    this.scanTo(last + 1);
    const from = this.starts[first] ?? this.text.length;
    const next = this.starts[Math.min(last + 1, this.starts.length)];
    const to = next === undefined ? this.text.length : next - 1;
    const text = this.text.slice(from, to);
    return text.includes('\r') ? text.replace(/\r$/gm, '') : text;
  }

  private scanTo(line: number): void {
    while (!this.complete && this.starts.length <= line) {
      const newline = this.text.indexOf('\n', this.starts[this.starts.length - 1]);
      if (newline < 0) this.complete = true;
      else this.starts.push(newline + 1);
    }
  }
}
