// Preloaded with `node --require` into a process whose peak memory the bench reports: prints the peak resident
// set size on exit, however the process ends short of a signal.
process.on('exit', () => {
  process.stderr.write(`\nmax-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
