const write = process.stdout.write.bind(process.stdout);
(process.stdout as any).write = (chunk: any, ...rest: any[]) => { const r = write(chunk, ...rest); if (String(chunk).includes(process.env.MARK ?? 'type to filter')) { { const u = process.cpuUsage(); process.stderr.write(`FIRST ${performance.now().toFixed(1)} cpu ${((u.user + u.system) / 1000).toFixed(1)}\n`); }; setImmediate(() => process.exit(0)); } return r; };
await import('../src/cli.js');
