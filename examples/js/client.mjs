// A Creditgraph client in plain JavaScript: Node 18+ (global fetch), no
// packages, no build step.
//
//   node examples/js/client.mjs
//
// Settings (environment): CREDITGRAPH_URL (default
// http://localhost:8080/graphql), CREDITGRAPH_KEY (an API key; none: PUBLIC),
// CREDITGRAPH_USCC (the enterprise to look up), CREDITGRAPH_PAGES (pages of
// the list to read, default 3).
//
// It looks up one enterprise's profile, pages through the enterprises of
// Fujian 20 at a time, and, when the server answers THROTTLED (HTTP 429),
// waits the seconds Retry-After says and tries again.

const url = process.env.CREDITGRAPH_URL || 'http://localhost:8080/graphql';
const key = process.env.CREDITGRAPH_KEY || '';
const uscc = process.env.CREDITGRAPH_USCC || '91350582MAE11H479P';
const pages = Number(process.env.CREDITGRAPH_PAGES || 3);
const maxTries = 5;

const PROFILE = `query Profile($uscc: ID!) {
  enterprise(uscc: $uscc) {
    name status
    creditSummary { penaltyCount totalFines onSeriousDishonestyList validLicenseCount }
    penalties(first: 5) { nodes { decisionNumber fineAmount publishedOn disclosureEndsOn } }
  }
}`;

const PAGE = `query Page($after: String) {
  enterprises(filter: {regionCode: "35"}, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { uscc name }
  }
}`;

const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

// graphql posts one query and returns its data. THROTTLED is retried after
// Retry-After seconds; any other error is thrown with its code.
async function graphql(query, variables) {
  for (let attempt = 1; ; attempt++) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (key) headers.Authorization = `Bearer ${key}`;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = await res.json();
    const code = body.errors && body.errors[0] && body.errors[0].extensions && body.errors[0].extensions.code;
    if (res.status === 429 || code === 'THROTTLED') {
      const wait = Number(res.headers.get('Retry-After') || 1);
      if (attempt >= maxTries) throw new Error(`THROTTLED ${attempt} times; giving up`);
      console.log(`throttled: retrying in ${wait}s (remaining ${res.headers.get('X-RateLimit-Remaining')})`);
      await sleep(wait);
      continue;
    }
    if (body.errors && body.errors.length) {
      throw new Error(`${code || 'ERROR'}: ${body.errors[0].message}`);
    }
    return body.data;
  }
}

async function main() {
  const { enterprise: e } = await graphql(PROFILE, { uscc });
  if (!e) throw new Error(`no enterprise ${uscc}`);
  const s = e.creditSummary;
  console.log(`profile: ${e.name} (${e.status}), ${s.penaltyCount} penalties disclosed, fines ¥${s.totalFines}, ${s.validLicenseCount} valid licences, serious list: ${s.onSeriousDishonestyList}`);
  let after = null;
  for (let n = 1; n <= pages; n++) {
    const { enterprises: c } = await graphql(PAGE, { after });
    console.log(`page ${n}: ${c.nodes.length} of ${c.totalCount} enterprises, first ${c.nodes[0] ? c.nodes[0].name : '-'}`);
    if (!c.pageInfo.hasNextPage) break;
    after = c.pageInfo.endCursor;
  }
  console.log('done');
}

main().catch((err) => {
  console.error(`error: ${err.message}`);
  process.exit(1);
});
