// Writes a copy of the app's policy in which a Coordinator may see costs (finance keys granted, the
// forced canViewCosts setting removed) to the path given, for CI's guard check: run with
// APP_POLICY=<that path>, this example's tests must fail. Usage: node test/coordinator-sees-costs.mjs OUT
import { readFileSync, writeFileSync } from 'node:fs';
import { POLICY } from './kit.js';

const out = process.argv[2];
if (!out) throw new Error('usage: node test/coordinator-sees-costs.mjs OUT.json');
const policy = JSON.parse(readFileSync(POLICY, 'utf8'));
const role = policy.roles.coordinator;
role.deny = role.deny.filter((k) => !k.startsWith('finance.'));
role.allow.push('finance.*');
delete role.settings;
writeFileSync(out, JSON.stringify(policy, null, 2));
console.log(`wrote ${out}: a Coordinator may see costs`);
