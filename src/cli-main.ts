import {runCli} from './cli.js';

// Bound before runCli puts its translator in front of process.stdout.write.
const out = process.stdout.write.bind(process.stdout);
const err = process.stderr.write.bind(process.stderr);
const io = {stdout: (t: string): void => void out(t), stderr: (t: string): void => void err(t)};
process.exitCode = await runCli(process.argv.slice(2), process.env, process.cwd(), io);
