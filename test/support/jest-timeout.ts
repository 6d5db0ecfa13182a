// Database-backed and browser tests legitimately take longer than Jest's 5 s default.
jest.setTimeout(process.env.JEST_PROJECT_TIMEOUT ? Number(process.env.JEST_PROJECT_TIMEOUT) : 120000);
