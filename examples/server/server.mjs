// A plain `node:http` API enforcing a rolegate policy with `rolegate/server` (no framework): each
// request's snapshot is verified, routes answer 403 with the reason code, the customer list is the
// query plan's (here filtered in memory, with the SQL a database would get), and proposals are masked.
//
//   node server.mjs [policy.json]        env: JWKS (a public key set file), AUDIENCE, PORT
//
// Without JWKS it makes a throwaway key and prints a token for each sample user of the policy (the
// `.users.json` beside it), to try with curl:  curl -H "Authorization: Bearer $TOKEN" localhost:8125/customers
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init, createGuard } from 'rolegate/server';
import { Compiler, SigningKey, jwks, toSql } from 'rolegate/issuer';

await init();
const policyFile = process.argv[2] ?? fileURLToPath(import.meta.resolve('rolegate/examples/neptunecrm.json'));
const audience = process.env.AUDIENCE ?? 'crm-api';
let keys;
if (process.env.JWKS) {
  keys = readFileSync(process.env.JWKS, 'utf8');
} else {
  const key = SigningKey.generate('dev-key');
  keys = jwks(key);
  const compiler = new Compiler(readFileSync(policyFile, 'utf8'));
  const users = JSON.parse(readFileSync(policyFile.replace(/\.json$/, '.users.json'), 'utf8'));
  for (const [name, user] of Object.entries(users)) {
    console.log(`token ${name} ${compiler.issue(user, key, { audience, ttl: 3600 })}`);
  }
}
const guard = createGuard({ keys, audience, cookie: 'rolegate' });

// NeptuneCRM's data, held in memory here; a real server keeps it in a database (see /customers).
const customers = [
  { id: 'c1', name: 'Acme Pools', organisationId: 'org-1', consultant: { id: 'u-cons' } },
  { id: 'c2', name: 'Blue Lagoon', organisationId: 'org-1', consultant: { id: 'u-cons2' }, contractorIds: ['u-contr'] },
  { id: 'c3', name: 'Coral Spas', organisationId: 'org-2', consultant: { id: 'u-cons' } },
];
const proposals = { p1: { id: 'p1', organisationId: 'org-1', consultantId: 'u-cons', total: 1200, cost: 800, margin: 400 } };
// How the customers table would name the fields the policy reads.
const columns = { organisationId: 'organisation_id', 'consultant.id': 'consultant_id', contractorIds: { column: 'contractor_ids', type: 'text_list' } };

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  if (path === '/customers') {
    const gate = guard.handle(req, res, { route: true }); // 401, or 403 unless the user may open /customers
    if (!gate) return;
    const plan = gate.query('customer');
    // With a database: db.query(`SELECT * FROM customers WHERE ${where.text}`, where.params)
    const where = toSql(plan, { dialect: 'postgres', columns });
    send(res, 200, { customers: gate.filter('customer', customers), where });
  } else if (path.startsWith('/proposals/') && Object.hasOwn(proposals, path.slice(11))) {
    const gate = guard.handle(req, res, { route: true });
    if (!gate) return;
    const proposal = proposals[path.slice(11)];
    if (!gate.can('data.proposal.view', proposal)) return send(res, 404, { code: 'not_found' }); // not theirs
    const { value, masked } = gate.mask('proposal', proposal);
    send(res, 200, { proposal: value, masked: masked.map((m) => m.field) });
  } else if (path === '/admin/users') {
    const gate = guard.handle(req, res, { route: true }); // NeptuneCRM consultants: 403 explicit_deny
    if (!gate) return;
    send(res, 200, { users: ['u-admin', 'u-cons', 'u-cons2', 'u-coord', 'u-contr'] });
  } else {
    send(res, 404, { code: 'not_found' });
  }
});
server.listen(Number(process.env.PORT ?? 8125), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
