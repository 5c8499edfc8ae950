// The explorer's words and examples, in Chinese and English. Each example is
// what one kind of user of Creditgraph does first (see the README): a
// consumer looks an enterprise up, a journalist pages a list, a partner reads
// a batch of counterparties with its key. Queries are the same in both
// languages; only their first comment line is translated.

export const TEXT = {
  en: {
    title: 'Creditgraph explorer',
    welcome:
      'Enterprise credit information disclosed by China\u2019s market regulators. Without a key you read the PUBLIC tier; ' +
      'with one, enter {"Authorization": "Bearer <key>"} under Headers. Pick an example, then press \u25B6.',
    examples: 'Examples',
    choose: 'Choose an example\u2026',
    other: '中文',
    users: { consumer: 'Consumers', media: 'Media and researchers', partner: 'Partners (PARTNER key)' },
  },
  zh: {
    title: 'Creditgraph 查询浏览器',
    welcome:
      '市场监管部门依法公示的企业信用信息。不带密钥时按公众（PUBLIC）层级读取；使用密钥时，在下方 Headers 中填写 ' +
      '{"Authorization": "Bearer <密钥>"}。选择一个示例，然后按 \u25B6 运行。',
    examples: '示例',
    choose: '选择示例\u2026',
    other: 'English',
    users: { consumer: '消费者', media: '媒体和研究人员', partner: '合作方（需 PARTNER 密钥）' },
  },
};

export const EXAMPLES = [
  {
    id: 'consumer-profile',
    user: 'consumer',
    label: { en: 'Look an enterprise up by its code', zh: '按统一社会信用代码查询企业' },
    comment: {
      en: "A consumer checks a shop or supplier: today's public record under its unified social credit code.",
      zh: '消费者查询商家或供应商：该统一社会信用代码名下今天依法公示的信息。',
    },
    query: (c) => `query ConsumerLookup {
  enterprise(uscc: "${c.uscc}") {
    name status address
    creditSummary { penaltyCount totalFines onSeriousDishonestyList onAbnormalOperationList validLicenseCount }
    licenses(first: 5) { nodes { licenseNumber name validTo } }
    penalties(first: 5) { nodes { decisionNumber violationType fineAmount publishedOn disclosureEndsOn } }
    inspections(first: 5) { nodes { kind inspectedOn result product } }
    commitments { kind content status }
  }
}
`,
  },
  {
    id: 'consumer-search',
    user: 'consumer',
    label: { en: 'Find an enterprise by part of its name', zh: '按名称的一部分查找企业' },
    comment: {
      en: 'Only remember the trade name? Search current and former names.',
      zh: '只记得字号？按现用名称和曾用名检索。',
    },
    query: () => `query ConsumerSearch {
  searchEnterprises(query: "海禾", first: 5) {
    totalCount
    edges { score matchKind matchedName node { uscc name status } }
  }
}
`,
  },
  {
    id: 'media-serious',
    user: 'media',
    label: { en: 'Serious illegal and dishonest list, a page', zh: '严重违法失信名单（分页）' },
    comment: {
      en: 'The serious illegal and dishonest list in Fujian, newest first; pass pageInfo.endCursor as `after` for the next page.',
      zh: '福建省严重违法失信名单，按列入时间从新到旧；把 pageInfo.endCursor 作为 after 传入即可取下一页。',
    },
    query: () => `query MediaSeriousList {
  seriousDishonestyList(filter: {regionCode: "35"}, first: 10) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { decisionNumber listedOn reason keyArea enterprise { uscc name } }
  }
}
`,
  },
  {
    id: 'media-cases',
    user: 'media',
    label: { en: 'Typical cases and the abnormal operations list', zh: '典型案例和经营异常名录' },
    comment: {
      en: 'Typical dishonesty cases published by regulators, and the abnormal operations list with its removals.',
      zh: '监管部门发布的失信典型案例，以及含移出信息的经营异常名录。',
    },
    query: () => `query MediaCases {
  typicalCases(first: 5) { totalCount nodes { caseId title publishedOn keyArea enterprise { uscc name } } }
  abnormalOperationList(filter: {includeRemoved: true}, first: 5) {
    totalCount
    nodes { decisionNumber reason listedOn removal { removedOn reason } enterprise { name } }
  }
}
`,
  },
  {
    id: 'partner-batch',
    user: 'partner',
    tier: 'PARTNER',
    label: { en: 'Risk categories of a batch of counterparties', zh: '一批交易对手的信用风险分类' },
    comment: {
      en: 'A partner (PARTNER key, under Headers) reads a page of counterparties with their risk category — an internal reference of regulators, not a credit evaluation.',
      zh: '合作方（在 Headers 中填写 PARTNER 密钥）读取一批交易对手及其信用风险分类——监管部门的内部参考，不是信用评价。',
    },
    query: () => `query PartnerBatch {
  enterprises(filter: {regionCode: "35"}, first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { uscc name status riskCategory creditSummary { onSeriousDishonestyList onAbnormalOperationList penaltyCount } }
  }
}
`,
  },
  {
    id: 'partner-changes',
    user: 'partner',
    tier: 'PARTNER',
    label: { en: 'Change feed: keep a copy fresh', zh: '变更流：保持本地副本最新' },
    comment: {
      en: 'A partner (PARTNER key) reads what changed in its view, in commit order; pass pageInfo.endCursor as `after` next time.',
      zh: '合作方（PARTNER 密钥）按提交顺序读取其可见范围内的变更；下次把 pageInfo.endCursor 作为 after 传入。',
    },
    query: () => `query PartnerChanges {
  changes(first: 20) {
    pageInfo { hasNextPage endCursor }
    nodes { at uscc recordType recordId kind }
  }
}
`,
  },
];

// exampleQuery is an example's query for the reader's language, its comment
// first. cfg carries the page's data attributes.
export function exampleQuery(ex, lang, cfg) {
  const comment = ex.comment[lang]
    .split(/(?<=[.。；;])\s*/)
    .filter(Boolean)
    .map((l) => '# ' + l)
    .join('\n');
  return comment + '\n' + ex.query({ uscc: cfg.exampleUscc || '91350100MA00000X0J' });
}

// exampleHeaders is the header editor's text for an example that needs a
// key: the demo key when the server published one, else a placeholder.
export function exampleHeaders(ex, cfg) {
  const key = (ex.tier === 'PARTNER' && cfg.partnerKey) || '<' + ex.tier + ' key>';
  return JSON.stringify({ Authorization: 'Bearer ' + key }, null, 2);
}
