// The test kit both suites share: the policy the app ships (NeptuneCRM's, from examples/policies) and
// its sample users. APP_POLICY points the tests at another policy file: CI uses it to check that
// these tests fail when the policy lets a Coordinator see costs.
import { fileURLToPath } from 'node:url';
import { createTestKit } from 'rolegate/testing';

export const POLICY = process.env.APP_POLICY ?? fileURLToPath(new URL('../../policies/neptunecrm.json', import.meta.url));
export const USERS = fileURLToPath(new URL('../../policies/neptunecrm.users.json', import.meta.url));

/** A kit for the app's audience; each suite makes its own. */
export const kit = () => createTestKit({ policy: POLICY, users: USERS, audience: 'crm-web' });
