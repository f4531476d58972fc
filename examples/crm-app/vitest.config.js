// Unit tests only (the e2e suite runs under node:test with Playwright).
export default { test: { include: ['test/**/*.test.js'] } };
