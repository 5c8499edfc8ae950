package cost

// Queries shared by the golden table, the trick pairs and the benchmark.
const (
	// profileQuery is one enterprise with every nested connection and list:
	// what the explorer and consumer apps ask for.
	profileQuery = `query Profile($uscc: ID!) {
  enterprise(uscc: $uscc) {
    uscc name status regionCode keyAreas formerNames
    creditSummary { penaltyCount totalFines onSeriousDishonestyList onAbnormalOperationList }
    licenses(first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { licenseNumber name validTo } }
    penalties { totalCount edges { cursor node { decisionNumber violationType penaltyTypes fineAmount publishedOn } } }
    inspections(first: 5) { nodes { kind inspectedOn result product } }
    abnormalOperations { decisionNumber reason listedOn removal { removedOn reason } }
    seriousDishonesty { decisionNumber reason listedOn disclosureEndsOn }
    commitments { kind content status }
  }
}`

	// pageQuery is 100 enterprises, each with 100 penalties.
	pageQuery = `{
  enterprises(first: 100) {
    nodes { uscc name penalties(first: 100) { nodes { decisionNumber fineAmount } } }
  }
}`

	// widestQuery is the widest honest page: 100 enterprises with every
	// nested connection at 100, every list and the summary.
	widestQuery = `{
  enterprises(first: 100) {
    totalCount
    nodes {
      name
      creditSummary { penaltyCount }
      licenses(first: 100) { nodes { name } }
      penalties(first: 100) { nodes { decisionNumber } }
      inspections(first: 100) { nodes { result } }
      abnormalOperations { decisionNumber }
      seriousDishonesty { decisionNumber }
      commitments { status }
    }
  }
}`

	// fanOutQuery goes through a second level: listings' enterprises' penalties.
	fanOutQuery = `{
  enterprises(first: 100) {
    nodes { abnormalOperations { enterprise { penalties(first: 100) { nodes { decisionNumber } } } } }
  }
}`

	// recordsFragment is spread by several queries below.
	recordsFragment = `
fragment Records on Enterprise {
  penalties(first: 100) { nodes { decisionNumber } }
  abnormalOperations { decisionNumber }
}`

	// introspectionQuery is graphql-js's getIntrospectionQuery, as GraphiQL
	// sends it: 13 levels deep through TypeRef.
	introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
)
