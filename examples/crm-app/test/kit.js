// The test kit both suites share: the policy the app ships (NeptuneCRM's, which comes with the rolegate
// package) and its sample users. APP_POLICY points the tests at another policy file: CI uses it to
// check that these tests fail when the policy lets a Coordinator see costs.
import { createRequire } from 'node:module';
import { createTestKit } from 'rolegate/testing';

const shipped = (name) => createRequire(import.meta.url).resolve(`rolegate/examples/${name}`);
export const POLICY = process.env.APP_POLICY ?? shipped('neptunecrm.json');
export const USERS = shipped('neptunecrm.users.json');

/** A kit for the app's audience; each suite makes its own. */
export const kit = () => createTestKit({ policy: POLICY, users: USERS, audience: 'crm-web' });
