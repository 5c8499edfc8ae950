// Entry point of the Creditgraph explorer bundle. The Go handler
// (internal/explorer) renders index.html with a #graphiql element whose data
// attributes carry the endpoint and the default query; nothing here talks to
// any host but the one that served the page.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { setNonce } from 'get-nonce';
import 'graphiql/graphiql.css';
import './explorer.css';

const ACCEPT = 'application/graphql-response+json, application/json';

// makeFetcher posts GraphQL requests as JSON. Headers typed into the header
// editor (e.g. {"Authorization": "Bearer <key>"}) arrive in opts.headers.
// Error responses (401, 429, …) carry a GraphQL-shaped body, so the body is
// shown whatever the status; only a non-JSON body becomes a synthetic error.
function makeFetcher(endpoint) {
  return async (params, opts) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        ...(opts && opts.headers),
        'Content-Type': 'application/json',
        Accept: ACCEPT,
      },
      body: JSON.stringify(params),
    });
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      return {
        errors: [{ message: `HTTP ${res.status} ${res.statusText}: ${text.slice(0, 500)}` }],
      };
    }
  };
}

// GraphiQL's dialogs lock scrolling by inserting a <style> element
// (react-remove-scroll, via get-nonce). The page's CSP allows inline styles
// only with the per-response nonce, which the server also puts on this
// script's tag.
if (document.currentScript && document.currentScript.nonce) {
  setNonce(document.currentScript.nonce);
}

const el = document.getElementById('graphiql');
const cfg = el.dataset;

createRoot(el).render(
  <GraphiQL
    fetcher={makeFetcher(cfg.endpoint || '/graphql')}
    defaultQuery={cfg.defaultQuery}
    isHeadersEditorEnabled={true}
    shouldPersistHeaders={false}
    defaultEditorToolsVisibility="headers"
  />,
);
