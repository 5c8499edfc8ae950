// Entry point of the Creditgraph explorer bundle. The Go handler
// (internal/explorer) renders index.html with a #graphiql element whose data
// attributes carry the endpoint, the default query, a USCC for the examples
// and (on the demo) the published PARTNER demo key; nothing here talks to any
// host but the one that served the page.
//
// Above GraphiQL sits a bar with a welcome text and a menu of examples per
// user (consumer, media, partner) in Chinese and English: the language
// follows the browser (navigator.languages) until the reader switches it,
// which is remembered in localStorage.
import React, { useState, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { setNonce } from 'get-nonce';
import 'graphiql/graphiql.css';
import './explorer.css';
import { TEXT, EXAMPLES, exampleQuery, exampleHeaders } from './examples.js';

const ACCEPT = 'application/graphql-response+json, application/json';
const LANG_KEY = 'creditgraph.lang';

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

// browserLanguage is "zh" when the reader's first language that we have is
// Chinese, else "en".
function browserLanguage() {
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const l of langs) {
    const p = String(l).toLowerCase();
    if (p.startsWith('zh')) return 'zh';
    if (p.startsWith('en')) return 'en';
  }
  return 'en';
}

function initialLanguage() {
  try {
    const saved = window.localStorage.getItem(LANG_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // storage may be disabled: follow the browser
  }
  return browserLanguage();
}

// GraphiQL's dialogs lock scrolling by inserting a <style> element
// (react-remove-scroll, via get-nonce). The page's CSP allows inline styles
// only with the per-response nonce, which the server also puts on this
// script's tag.
if (document.currentScript && document.currentScript.nonce) {
  setNonce(document.currentScript.nonce);
}

function Explorer({ cfg }) {
  const [lang, setLang] = useState(initialLanguage);
  // query and headers are set only when the reader picks an example;
  // GraphiQL copies a changed value into its editor. A repeat pick of the
  // same example gets a trailing newline toggled, so it still counts as a
  // change after the reader edited the query.
  const [picked, setPicked] = useState({ query: undefined, headers: undefined, n: 0 });
  const t = TEXT[lang];

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t.title;
  }, [lang]);

  const switchLanguage = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    setLang(next);
    try {
      window.localStorage.setItem(LANG_KEY, next);
    } catch {
      // not remembered: fine
    }
  };

  const pick = (e) => {
    const ex = EXAMPLES.find((x) => x.id === e.target.value);
    e.target.value = '';
    if (!ex) return;
    const n = picked.n + 1;
    const query = exampleQuery(ex, lang, cfg) + (n % 2 ? '' : '\n');
    const headers = ex.tier ? exampleHeaders(ex, cfg) : picked.headers;
    setPicked({ query, headers, n });
  };

  const groups = ['consumer', 'media', 'partner'];
  return (
    <div className="cg-app">
      <header className="cg-bar" data-lang={lang}>
        <strong className="cg-title">{t.title}</strong>
        <span className="cg-welcome">{t.welcome}</span>
        <label className="cg-examples">
          <span>{t.examples}</span>
          <select aria-label={t.examples} defaultValue="" onChange={pick}>
            <option value="" disabled>
              {t.choose}
            </option>
            {groups.map((g) => (
              <optgroup key={g} label={t.users[g]}>
                {EXAMPLES.filter((x) => x.user === g).map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.label[lang]}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button type="button" className="cg-lang" onClick={switchLanguage} lang={lang === 'zh' ? 'en' : 'zh-CN'}>
          {t.other}
        </button>
      </header>
      <div className="cg-ide">
        <GraphiQL
          fetcher={makeFetcher(cfg.endpoint || '/graphql')}
          defaultQuery={cfg.defaultQuery}
          query={picked.query}
          headers={picked.headers}
          isHeadersEditorEnabled={true}
          shouldPersistHeaders={false}
          defaultEditorToolsVisibility="headers"
        />
      </div>
    </div>
  );
}

const el = document.getElementById('graphiql');
createRoot(el).render(<Explorer cfg={{ ...el.dataset }} />);
