#!/usr/bin/env node
/**
 * @module bin/rtc
 * The `rtc` executable.
 */
import { runCli } from '../interfaces/cli/index.js';

const code = await runCli(process.argv, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(text.startsWith('\r') ? text : `${text}\n`),
  isTty: process.stderr.isTTY,
  cwd: process.cwd(),
});
process.exitCode = code;
