// Entry point of the `sealmail` command (bin/sealmail.js loads the compiled form of this file).
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
