// The app: a menu behind <Can>, a control that shows why it is disabled, and `#result`, which reports
// what the gate decided, for the smoke test (tests/toolchains/examples.test.mjs).
import { Can, useCan, useCheck, useStatus } from 'rolegate/react';

export function App({ checks }) {
  const { loaded, subject } = useStatus();
  return (
    <>
      <header>{loaded ? `Signed in as ${subject}` : 'Checking your permissions…'}</header>
      <nav id="menu">
        <Can I="page.customers.view"><a href="#customers">Customers</a></Can>
        <Can I="page.jobs.view"><a href="#jobs">Jobs</a></Can>
        <Can I="page.admin.view"><a href="#admin">Admin</a></Can>
      </nav>
      <Can I="page.admin.view" passThrough>
        {(decision) => (
          <button type="button" disabled={!decision?.allow} title={decision?.message}>
            {decision && !decision.allow ? `Admin settings (${decision.code})` : 'Admin settings'}
          </button>
        )}
      </Can>
      <Report checks={checks} />
    </>
  );
}

/** What the gate decided, as the smoke test expects it; 'loading' until a snapshot is in force. */
function Report({ checks }) {
  const { loaded, subject } = useStatus();
  const jobs = useCan('page.jobs.view');
  const admin = useCheck('page.admin.view');
  if (!loaded || checks === null) return <pre id="result" data-state="loading">loading…</pre>;
  // Rendered after the forged token was refused: `jobs` is still the answer of the snapshot in force.
  const report = { subject, jobs, admin: admin.allow, adminCode: admin.code, ...checks, jobsAfterTamper: jobs };
  return <pre id="result" data-state="done">{JSON.stringify(report)}</pre>;
}
