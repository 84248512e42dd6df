// The embedded project's files make their databases in memory, whatever DATABASE_URL the shell holds.
delete process.env.DATABASE_URL;
