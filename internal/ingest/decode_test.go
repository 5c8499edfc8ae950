package ingest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

const (
	usccA = "91350102MA31ABCD18" // a company in Fuzhou, Gulou
	usccB = "92350203MA2Y00001Y" // an individual business in Xiamen, Siming
)

// valid is one valid line of each kind, as JSON members; tests change them.
var valid = map[Kind]map[string]any{
	KindEnterprise: {"kind": "enterprise", "uscc": usccA, "name": "福州闽味食品有限公司", "status": "operating",
		"region_code": "350102"},
	KindLicense: {"kind": "license", "uscc": usccA, "license_number": "SC10635010200123", "name": "食品生产许可证",
		"authority": "福州市市场监督管理局", "decided_on": "2021-03-01"},
	KindPenalty: {"kind": "penalty", "uscc": usccA, "decision_number": "榕市监处罚〔2024〕12号",
		"violation_type": "生产不符合食品安全标准的食品", "penalty_types": []any{"fine"}, "fine_amount": "50000.00",
		"authority": "福州市市场监督管理局", "decided_on": "2024-03-01", "published_on": "2024-03-08",
		"procedure": "ordinary"},
	KindInspection: {"kind": "inspection", "inspection_kind": "sampling", "uscc": usccA, "inspection_id": "CJ-2024-1",
		"inspected_on": "2024-05-10", "authority": "福州市市场监督管理局", "result": "no_issue"},
	KindAbnormalListing: {"kind": "abnormal_listing", "uscc": usccA, "decision_number": "榕鼓市监异〔2023〕88号",
		"reason_code": 1, "listed_on": "2023-07-01", "authority": "福州市鼓楼区市场监督管理局"},
	KindAbnormalRemoval: {"kind": "abnormal_removal", "listing_decision_number": "榕鼓市监异〔2023〕88号",
		"removed_on": "2023-09-01", "reason": "已补报年度报告", "authority": "福州市鼓楼区市场监督管理局"},
	KindSeriousListing: {"kind": "serious_listing", "uscc": usccA, "decision_number": "榕市监严〔2023〕3号",
		"ground": "未经许可从事食品生产", "listed_on": "2023-02-01", "authority": "福州市市场监督管理局"},
	KindSeriousRemoval: {"kind": "serious_removal", "listing_decision_number": "榕市监严〔2023〕3号",
		"removed_on": "2026-02-01", "reason": "expired", "authority": "福州市市场监督管理局"},
	KindCommitment: {"kind": "commitment", "commitment_kind": "notification", "uscc": usccA,
		"commitment_id": "CN-1", "content": "承诺符合食品生产条件", "made_on": "2023-01-05", "status": "in_force"},
	KindCreditRepair: {"kind": "credit_repair", "target": "penalty", "target_decision_number": "榕市监处罚〔2024〕12号",
		"repaired_on": "2025-03-08", "authority": "福州市市场监督管理局"},
	KindTypicalCase: {"kind": "typical_case", "case_id": "TC-1", "title": "无证生产食品案", "summary": "当事人未取得许可。",
		"published_on": "2024-06-01"},
}

// drop removes a member in line().
type dropT struct{}

var drop dropT

// line returns the valid line of kind k with members changed: name, value
// pairs; the value drop removes the member; json.RawMessage is written as is.
func line(k Kind, changes ...any) string {
	m := map[string]any{}
	for n, v := range valid[k] {
		m[n] = v
	}
	for i := 0; i < len(changes); i += 2 {
		name := changes[i].(string)
		if changes[i+1] == drop {
			delete(m, name)
			continue
		}
		m[name] = changes[i+1]
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestDecodeRejects(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	tests := []struct {
		name   string
		line   string
		code   string
		msg    string
		prefix bool // msg is a prefix (the tokenizer's wording may change)
	}{
		// INVALID_JSON
		{"not JSON", `{"kind":"enterprise",`, CodeInvalidJSON, "line is not valid JSON: ", true},
		{"trailing comma", `{"kind":"enterprise",}`, CodeInvalidJSON, "line is not valid JSON: ", true},
		{"array", `[{"kind":"enterprise"}]`, CodeInvalidJSON, "line is not a JSON object (it holds an array)", false},
		{"string", `"enterprise"`, CodeInvalidJSON, "line is not a JSON object (it holds a string)", false},
		{"two values", line(KindEnterprise) + ` {}`, CodeInvalidJSON, "line holds more than one JSON value", false},
		{"invalid UTF-8", "{\"kind\":\"enterprise\",\"name\":\"\xff\"}", CodeInvalidJSON, "line is not valid JSON: invalid UTF-8", true},
		{"duplicate member", `{"kind":"penalty","uscc":"` + usccA + `","uscc":"` + usccB + `"}`, CodeInvalidJSON,
			`line is not valid JSON: duplicate object member name "uscc"`, false},
		{"duplicate kind", `{"kind":"inspection","kind":"sampling"}`, CodeInvalidJSON,
			`line is not valid JSON: duplicate object member name "kind" (an inspection's or commitment's own kind goes in "inspection_kind" or "commitment_kind")`, false},

		// UNKNOWN_KIND, MISSING_FIELD for kind
		{"unknown kind", line(KindEnterprise, "kind", "company"), CodeUnknownKind,
			`kind "company" is not one of enterprise, license, penalty, inspection, abnormal_listing, abnormal_removal, serious_listing, serious_removal, commitment, credit_repair, typical_case`, false},
		{"kind in capitals", line(KindEnterprise, "kind", "Enterprise"), CodeUnknownKind, `kind "Enterprise" is not one of `, true},
		{"no kind", line(KindEnterprise, "kind", drop), CodeMissingField,
			`field "kind" is missing: every line names its record kind, one of enterprise, license, `, true},
		{"kind null", line(KindEnterprise, "kind", nil), CodeMissingField, `field "kind" is missing`, true},
		{"kind a number", line(KindEnterprise, "kind", 1), CodeInvalidType, `field "kind": want a string, got a number`, false},

		// risk_categories (an enterprise's imported risk category)
		{"risk_categories not an array", line(KindEnterprise, "risk_categories", "C"), CodeInvalidType,
			`field "risk_categories": want an array of {"from": date, "category": "A"…"D"}, got a string`, false},
		{"risk_categories unknown member", line(KindEnterprise, "risk_categories", raw(`[{"from":"2026-06-15","category":"C","score":40}]`)),
			CodeInvalidType, `field "risk_categories": want an array of {"from": date, "category": "A"…"D"}: json: unknown field "score"`, false},
		{"risk_categories without a day", line(KindEnterprise, "risk_categories", raw(`[{"category":"C"}]`)), CodeMissingField,
			`field "risk_categories": step 0 needs "from" and "category"`, false},
		{"risk_categories bad date", line(KindEnterprise, "risk_categories", raw(`[{"from":"2026-13-01","category":"C"}]`)), CodeInvalidDate,
			`field "risk_categories": step 0: "2026-13-01" is not a date from 1949-10-01 on (want YYYY-MM-DD)`, false},
		{"risk_categories bad letter", line(KindEnterprise, "risk_categories", raw(`[{"from":"2026-06-15","category":"E"}]`)), CodeInvalidValue,
			`field "risk_categories": step 0: category "E" is not one of A, B, C, D`, false},
		{"risk_categories out of order", line(KindEnterprise, "risk_categories",
			raw(`[{"from":"2026-06-15","category":"C"},{"from":"2026-06-15","category":"B"}]`)), CodeInvalidValue,
			`field "risk_categories": step 1 (2026-06-15) is not after step 0: steps go in date order`, false},

		// MISSING_FIELD
		{"enterprise without uscc", line(KindEnterprise, "uscc", drop), CodeMissingField,
			`field "uscc" is required for kind "enterprise"`, false},
		{"enterprise name null", line(KindEnterprise, "name", nil), CodeMissingField,
			`field "name" is null; it is required for kind "enterprise"`, false},
		{"enterprise without region", line(KindEnterprise, "region_code", drop), CodeMissingField,
			`field "region_code" is required for kind "enterprise"`, false},
		{"license without decided_on", line(KindLicense, "decided_on", drop), CodeMissingField,
			`field "decided_on" is required for kind "license"`, false},
		{"penalty without procedure", line(KindPenalty, "procedure", drop), CodeMissingField,
			`field "procedure" is required for kind "penalty"`, false},
		{"penalty without penalty_types", line(KindPenalty, "penalty_types", drop), CodeMissingField,
			`field "penalty_types" is required for kind "penalty"`, false},
		{"inspection without its kind", line(KindInspection, "inspection_kind", drop), CodeMissingField,
			`field "inspection_kind" is required for kind "inspection": one of random_spot_check, supervision_check, sampling (or give that value as "kind" itself)`, false},
		{"abnormal listing without reason_code", line(KindAbnormalListing, "reason_code", drop), CodeMissingField,
			`field "reason_code" is required for kind "abnormal_listing"`, false},
		{"abnormal removal without reason", line(KindAbnormalRemoval, "reason", drop), CodeMissingField,
			`field "reason" is required for kind "abnormal_removal"`, false},
		{"serious listing without ground", line(KindSeriousListing, "ground", drop), CodeMissingField,
			`field "ground" is required for kind "serious_listing"`, false},
		{"serious removal without authority", line(KindSeriousRemoval, "authority", drop), CodeMissingField,
			`field "authority" is required for kind "serious_removal"`, false},
		{"commitment without status", line(KindCommitment, "status", drop), CodeMissingField,
			`field "status" is required for kind "commitment"`, false},
		{"repair without target", line(KindCreditRepair, "target", drop), CodeMissingField,
			`field "target" is required for kind "credit_repair"`, false},
		{"case without summary", line(KindTypicalCase, "summary", drop), CodeMissingField,
			`field "summary" is required for kind "typical_case"`, false},

		// INVALID_TYPE
		{"name a number", line(KindEnterprise, "name", 42), CodeInvalidType, `field "name": want a string, got a number`, false},
		{"status an array", line(KindEnterprise, "status", []any{"operating"}), CodeInvalidType,
			`field "status": want a string, got an array`, false},
		{"former_names a string", line(KindEnterprise, "former_names", "旧名"), CodeInvalidType,
			`field "former_names": want an array of strings, got a string`, false},
		{"key_areas with a number", line(KindEnterprise, "key_areas", []any{"food_production", 3}), CodeInvalidType,
			`field "key_areas": element 1: want a string, got a number`, false},
		{"decided_on an object", line(KindLicense, "decided_on", raw(`{"y":2024}`)), CodeInvalidType,
			`field "decided_on": want a string, got an object`, false},
		{"fine_amount a number", line(KindPenalty, "fine_amount", 50000), CodeInvalidType,
			`field "fine_amount": want a decimal string such as "12500.00", got a number (amounts are strings so that no precision is lost)`, false},
		{"registered_capital a number", line(KindEnterprise, "registered_capital", 500.5), CodeInvalidType,
			`field "registered_capital": want a decimal string such as "12500.00", got a number (amounts are strings so that no precision is lost)`, false},
		{"revoked a string", line(KindPenalty, "revoked", "yes"), CodeInvalidType, `field "revoked": want a boolean, got a string`, false},
		{"reason_code a string", line(KindAbnormalListing, "reason_code", "1"), CodeInvalidType,
			`field "reason_code": want a number 1–4, got a string`, false},
		{"penalty_types a string", line(KindPenalty, "penalty_types", "fine"), CodeInvalidType,
			`field "penalty_types": want an array of strings, got a string`, false},

		// CONTROL_CHARACTER
		{"NUL in a name", line(KindEnterprise, "name", "海禾\u0000食品"), CodeControlCharacter,
			`field "name": control character U+0000 at character 3; control characters are not allowed`, false},
		{"NUL in a natural key", line(KindPenalty, "decision_number", "闽罚\u0000〔2024〕1号"), CodeControlCharacter,
			`field "decision_number": control character U+0000 at character 3; control characters are not allowed`, false},
		{"NUL in long text", line(KindPenalty, "facts", "第一句。\u0000"), CodeControlCharacter,
			`field "facts": control character U+0000 at character 5; only tab and line breaks are allowed in long text`, false},
		{"escape in a case summary", line(KindTypicalCase, "summary", "x\u001b[2J"), CodeControlCharacter,
			`field "summary": control character U+001B at character 2; only tab and line breaks are allowed in long text`, false},
		{"newline in an authority", line(KindLicense, "authority", "福州市\n市场监督管理局"), CodeControlCharacter,
			`field "authority": control character U+000A at character 4; control characters are not allowed`, false},
		{"C1 control in a former name", line(KindEnterprise, "former_names", []any{"旧名", "x\u0085"}), CodeControlCharacter,
			`field "former_names": element 1: control character U+0085 at character 2; control characters are not allowed`, false},
		{"NUL in an enum", line(KindEnterprise, "status", "operating\u0000"), CodeControlCharacter,
			`field "status": control character U+0000 at character 10; control characters are not allowed`, false},
		{"NUL in kind", line(KindEnterprise, "kind", "enterprise\u0000"), CodeControlCharacter,
			`field "kind": control character U+0000 at character 11; control characters are not allowed`, false},

		// INVALID_VALUE: sizes
		{"name of 501 characters", line(KindEnterprise, "name", strings.Repeat("海", 501)), CodeInvalidValue,
			`field "name" is 501 characters long; a single-line value holds at most 500`, false},
		{"former name of 501 characters", line(KindEnterprise, "former_names", []any{strings.Repeat("a", 501)}), CodeInvalidValue,
			`field "former_names": element 0 is 501 characters long; at most 500`, false},
		{"fine of 16 digits", line(KindPenalty, "fine_amount", "1000000000000000"), CodeInvalidValue,
			`field "fine_amount": "1000000000000000" has too many digits (at most 15 before the point and 6 after)`, false},
		{"capital with 7 decimals", line(KindEnterprise, "registered_capital", "1.0000001"), CodeInvalidValue,
			`field "registered_capital": "1.0000001" has too many digits (at most 15 before the point and 6 after)`, false},

		// INVALID_DATE
		{"30 February", line(KindPenalty, "decided_on", "2024-02-30"), CodeInvalidDate,
			`field "decided_on": "2024-02-30" is not a date (want YYYY-MM-DD)`, false},
		{"29 February of a common year", line(KindLicense, "decided_on", "2023-02-29"), CodeInvalidDate,
			`field "decided_on": "2023-02-29" is not a date (want YYYY-MM-DD)`, false},
		{"month 13", line(KindInspection, "inspected_on", "2024-13-01"), CodeInvalidDate,
			`field "inspected_on": "2024-13-01" is not a date (want YYYY-MM-DD)`, false},
		{"no leading zeros", line(KindAbnormalListing, "listed_on", "2023-7-1"), CodeInvalidDate,
			`field "listed_on": "2023-7-1" is not a date (want YYYY-MM-DD)`, false},
		{"a timestamp", line(KindTypicalCase, "published_on", "2024-06-01T00:00:00Z"), CodeInvalidDate,
			`field "published_on": "2024-06-01T00:00:00Z" is not a date (want YYYY-MM-DD)`, false},
		{"slashes", line(KindEnterprise, "established_on", "2015/06/18"), CodeInvalidDate,
			`field "established_on": "2015/06/18" is not a date (want YYYY-MM-DD)`, false},
		{"bad optional date", line(KindPenalty, "restriction_until", "someday"), CodeInvalidDate,
			`field "restriction_until": "someday" is not a date (want YYYY-MM-DD)`, false},

		// INVALID_ENUM
		{"bad status", line(KindEnterprise, "status", "open"), CodeInvalidEnum,
			`field "status": "open" is not one of operating, revoked, cancelled, moved_out`, false},
		{"status in capitals", line(KindEnterprise, "status", "Operating"), CodeInvalidEnum,
			`field "status": "Operating" is not one of operating, revoked, cancelled, moved_out`, false},
		{"bad key area", line(KindEnterprise, "key_areas", []any{"food"}), CodeInvalidEnum,
			`field "key_areas": element 0: "food" is not one of food_production, special_food, special_equipment, food_distribution, catering, drug, medical_device, cosmetics, industrial_product`, false},
		{"bad penalty type", line(KindPenalty, "penalty_types", []any{"fine", "fines"}), CodeInvalidEnum,
			`field "penalty_types": element 1: "fines" is not one of warning, public_reprimand, fine, confiscation, suspension, restriction, qualification_downgrade, license_revocation, business_license_revocation, other`, false},
		{"bad procedure", line(KindPenalty, "procedure", "summary"), CodeInvalidEnum,
			`field "procedure": "summary" is not one of ordinary, simple`, false},
		{"bad inspection kind", line(KindInspection, "inspection_kind", "audit"), CodeInvalidEnum,
			`field "inspection_kind": "audit" is not one of random_spot_check, supervision_check, sampling`, false},
		{"bad result", line(KindInspection, "result", "passed"), CodeInvalidEnum,
			`field "result": "passed" is not one of no_issue, issues_corrected, non_compliant, not_found_at_address`, false},
		{"bad serious removal reason", line(KindSeriousRemoval, "reason", "已期满"), CodeInvalidEnum,
			`field "reason": "已期满" is not one of expired, credit_repair, revoked`, false},
		{"bad commitment kind", line(KindCommitment, "commitment_kind", "oral"), CodeInvalidEnum,
			`field "commitment_kind": "oral" is not one of notification, voluntary`, false},
		{"bad commitment status", line(KindCommitment, "status", "broken"), CodeInvalidEnum,
			`field "status": "broken" is not one of in_force, fulfilled, untrue`, false},
		{"bad repair target", line(KindCreditRepair, "target", "license"), CodeInvalidEnum,
			`field "target": "license" is not one of penalty, abnormal_listing, serious_listing`, false},
		{"bad case key area", line(KindTypicalCase, "key_area", "food"), CodeInvalidEnum,
			`field "key_area": "food" is not one of food_production, special_food, special_equipment, food_distribution, catering, drug, medical_device, cosmetics, industrial_product`, false},

		// INVALID_USCC: each check named
		{"USCC too short", line(KindEnterprise, "uscc", "91350102MA31ABCD1"), CodeInvalidUSCC,
			`field "uscc": "91350102MA31ABCD1" is not a valid unified social credit code: length check failed: want 18 characters, got 17`, false},
		{"USCC with an O", line(KindPenalty, "uscc", "91350102MA31OBCD18"), CodeInvalidUSCC,
			`field "uscc": "91350102MA31OBCD18" is not a valid unified social credit code: alphabet check failed: character 13 'O' is not in 0123456789ABCDEFGHJKLMNPQRTUWXY`, false},
		{"USCC with a letter in the division", line(KindLicense, "uscc", "9135A102MA31ABCD18"), CodeInvalidUSCC,
			`field "uscc": "9135A102MA31ABCD18" is not a valid unified social credit code: division check failed: characters 3–8 must be an administrative division code of digits, got "35A102"`, false},
		{"USCC check character", line(KindCommitment, "uscc", "91350102MA31ABCD19"), CodeInvalidUSCC,
			`field "uscc": "91350102MA31ABCD19" is not a valid unified social credit code: check character check failed: character 18 is '9', want '8'`, false},
		{"optional USCC of a case", line(KindTypicalCase, "uscc", "12345"), CodeInvalidUSCC,
			`field "uscc": "12345" is not a valid unified social credit code: length check failed: want 18 characters, got 5`, false},

		// INVALID_VALUE
		{"region of 4 digits", line(KindEnterprise, "region_code", "3501"), CodeInvalidValue,
			`field "region_code": "3501" is not a 6-digit administrative division code (GB/T 2260, e.g. "350102")`, false},
		{"region with letters", line(KindTypicalCase, "region_code", "35010X"), CodeInvalidValue,
			`field "region_code": "35010X" is not a 6-digit administrative division code (GB/T 2260, e.g. "350102")`, false},
		{"reason_code 0", line(KindAbnormalListing, "reason_code", 0), CodeInvalidValue,
			`field "reason_code": 0 is not one of 1 (annual report not filed), 2 (ordered disclosure not made), 3 (false disclosure), 4 (unreachable at the registered address)`, false},
		{"reason_code 5", line(KindAbnormalListing, "reason_code", 5), CodeInvalidValue, `field "reason_code": 5 is not one of 1 `, true},
		{"reason_code 1.5", line(KindAbnormalListing, "reason_code", 1.5), CodeInvalidValue, `field "reason_code": 1.5 is not one of 1 `, true},
		{"negative fine", line(KindPenalty, "fine_amount", "-100.00"), CodeInvalidValue,
			`field "fine_amount": "-100.00" is negative`, false},
		{"fine with grouping", line(KindPenalty, "fine_amount", "50,000"), CodeInvalidValue,
			`field "fine_amount": "50,000" is not a decimal amount (want digits with an optional fraction, e.g. "12500.00")`, false},
		{"fine with exponent", line(KindPenalty, "fine_amount", "5e4"), CodeInvalidValue,
			`field "fine_amount": "5e4" is not a decimal amount (want digits with an optional fraction, e.g. "12500.00")`, false},
		{"fine in words", line(KindPenalty, "confiscation_amount", "五万元"), CodeInvalidValue,
			`field "confiscation_amount": "五万元" is not a decimal amount (want digits with an optional fraction, e.g. "12500.00")`, false},
		{"capital with a trailing dot", line(KindEnterprise, "registered_capital", "500."), CodeInvalidValue,
			`field "registered_capital": "500." is not a decimal amount (want digits with an optional fraction, e.g. "12500.00")`, false},
		{"empty penalty_types", line(KindPenalty, "penalty_types", []any{}), CodeInvalidValue,
			`field "penalty_types" is empty: want at least one of warning, public_reprimand, fine, confiscation, suspension, restriction, qualification_downgrade, license_revocation, business_license_revocation, other`, false},
		{"blank name", line(KindEnterprise, "name", "  "), CodeInvalidValue, `field "name" is empty`, false},
		{"empty decision number", line(KindPenalty, "decision_number", ""), CodeInvalidValue, `field "decision_number" is empty`, false},
		{"empty former name", line(KindEnterprise, "former_names", []any{"旧名", ""}), CodeInvalidValue,
			`field "former_names": element 1 is empty`, false},
		{"licence ends before it starts", line(KindLicense, "valid_from", "2024-01-01", "valid_to", "2023-12-31"), CodeInvalidValue,
			`field "valid_to" (2023-12-31) is before field "valid_from" (2024-01-01)`, false},
		{"penalty published before decided", line(KindPenalty, "published_on", "2024-02-28"), CodeInvalidValue,
			`field "published_on" (2024-02-28) is before field "decided_on" (2024-03-01)`, false},
		{"untrue date on a kept commitment", line(KindCommitment, "untrue_found_on", "2024-01-01"), CodeInvalidValue,
			`field "untrue_found_on" is set but status is "in_force": only an untrue commitment has one`, false},
		{"untrue before made", line(KindCommitment, "status", "untrue", "untrue_found_on", "2022-12-31"), CodeInvalidValue,
			`field "untrue_found_on" (2022-12-31) is before field "made_on" (2023-01-05)`, false},
		{"inspection kind disagrees", line(KindInspection, "kind", "sampling", "inspection_kind", "supervision_check"), CodeInvalidValue,
			`field "inspection_kind" is "supervision_check" but field "kind" says "sampling"`, false},

		{"long values are clipped in messages", line(KindPenalty, "decided_on", strings.Repeat("日", 400)), CodeInvalidDate,
			`field "decided_on": "` + strings.Repeat("日", 84) + `…" is not a date (want YYYY-MM-DD)`, false},

		// The first problem in contract order is reported.
		{"first problem wins", line(KindPenalty, "uscc", drop, "decided_on", "2024-02-30"), CodeMissingField,
			`field "uscc" is required for kind "penalty"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, lerr := Decode([]byte(tt.line))
			if lerr == nil {
				t.Fatalf("Decode(%s) = %+v, want %s", tt.line, rec, tt.code)
			}
			if lerr.Code != tt.code {
				t.Errorf("code = %s (%s), want %s", lerr.Code, lerr.Message, tt.code)
			}
			if ok := lerr.Message == tt.msg || tt.prefix && strings.HasPrefix(lerr.Message, tt.msg); !ok {
				t.Errorf("message = %s\nwant        %s", lerr.Message, tt.msg)
			}
			if lerr.Line != 0 {
				t.Errorf("Line = %d, want 0 from Decode", lerr.Line)
			}
		})
	}
}

func day(s string) time.Time {
	d, err := credit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dec(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }

func TestDecodeRecords(t *testing.T) {
	tests := []struct {
		name string
		line string
		want Record
	}{
		{"enterprise with every field", `{"kind":"enterprise","uscc":" 91350102ma31abcd18 ","name":" 福州闽味食品有限公司 ",` +
			`"former_names":["福州闽味食品厂","福州闽味食品厂"],"type":"有限责任公司","status":"operating","legal_representative":"林建国",` +
			`"legal_representative_id_type":"居民身份证","legal_representative_id_number":"350102197001011234",` +
			`"registered_capital":"500.0000","established_on":"2015-06-18","registration_authority":"鼓楼区市场监督管理局",` +
			`"address":"五四路100号","business_scope":"食品生产","region_code":"350102","key_areas":["food_production","special_food"],` +
			`"phone":"","source":"GSXT","extra":{"nested":[1,{"a":null}]}}`,
			Record{Kind: KindEnterprise, Enterprise: &credit.Enterprise{
				USCC: usccA, Name: "福州闽味食品有限公司", FormerNames: []string{"福州闽味食品厂"}, Type: ptr("有限责任公司"),
				Status: credit.StatusOperating, LegalRepresentative: ptr("林建国"), LegalRepresentativeIDType: ptr("居民身份证"),
				LegalRepresentativeIDNumber: ptr("350102197001011234"), RegisteredCapital: dec("500.0000"),
				EstablishedOn: ptr(day("2015-06-18")), RegistrationAuthority: ptr("鼓楼区市场监督管理局"), Address: ptr("五四路100号"),
				BusinessScope: ptr("食品生产"), RegionCode: "350102",
				KeyAreas: []credit.KeyArea{credit.AreaFoodProduction, credit.AreaSpecialFood},
			}}},
		{"enterprise with an imported risk category", line(KindEnterprise, "risk_categories",
			json.RawMessage(`[{"from":"2026-06-15","category":"C"},{"from":"2027-03-02","category":"B"}]`)),
			Record{Kind: KindEnterprise, Enterprise: &credit.Enterprise{USCC: usccA, Name: "福州闽味食品有限公司",
				Status: credit.StatusOperating, RegionCode: "350102", RiskCategories: []credit.RiskStep{
					{From: day("2026-06-15"), Category: "C"}, {From: day("2027-03-02"), Category: "B"}}}}},
		{"enterprise with nulls for optional fields", line(KindEnterprise, "type", nil, "key_areas", nil, "registered_capital", nil, "risk_categories", nil),
			Record{Kind: KindEnterprise, Enterprise: &credit.Enterprise{USCC: usccA, Name: "福州闽味食品有限公司",
				Status: credit.StatusOperating, RegionCode: "350102"}}},
		{"license", line(KindLicense, "valid_from", "2021-03-01", "valid_to", "2026-02-28", "key_area", "food_production"),
			Record{Kind: KindLicense, License: &credit.License{USCC: usccA, LicenseNumber: "SC10635010200123", Name: "食品生产许可证",
				ValidFrom: ptr(day("2021-03-01")), ValidTo: ptr(day("2026-02-28")), Authority: "福州市市场监督管理局",
				DecidedOn: day("2021-03-01"), KeyArea: ptr(credit.AreaFoodProduction)}}},
		{"penalty", line(KindPenalty, "penalty_types", []any{"fine", "confiscation", "fine"}, "confiscation_amount", "0",
			"revoked", true, "restriction_until", "2027-01-01", "uscc", usccB),
			Record{Kind: KindPenalty, Penalty: &credit.Penalty{USCC: usccB, DecisionNumber: "榕市监处罚〔2024〕12号",
				ViolationType: "生产不符合食品安全标准的食品",
				PenaltyTypes:  []credit.PenaltyType{credit.PenaltyFine, credit.PenaltyConfiscation},
				FineAmount:    dec("50000.00"), ConfiscationAmount: dec("0"), Authority: "福州市市场监督管理局",
				DecidedOn: day("2024-03-01"), PublishedOn: day("2024-03-08"), Procedure: credit.ProcedureOrdinary,
				RestrictionUntil: ptr(day("2027-01-01")), Revoked: true}}},
		{"inspection", line(KindInspection),
			Record{Kind: KindInspection, Inspection: &credit.Inspection{USCC: usccA, InspectionID: "CJ-2024-1",
				Kind: credit.InspectionSampling, InspectedOn: day("2024-05-10"), Authority: "福州市市场监督管理局",
				Result: credit.ResultNoIssue}}},
		{"inspection kind given as kind", line(KindInspection, "kind", "random_spot_check", "inspection_kind", drop),
			Record{Kind: KindInspection, Inspection: &credit.Inspection{USCC: usccA, InspectionID: "CJ-2024-1",
				Kind: credit.InspectionRandomSpotCheck, InspectedOn: day("2024-05-10"), Authority: "福州市市场监督管理局",
				Result: credit.ResultNoIssue}}},
		{"abnormal listing", line(KindAbnormalListing, "reason", "未依照规定报送年度报告"),
			Record{Kind: KindAbnormalListing, Listing: &credit.Listing{List: credit.ListAbnormal, USCC: usccA,
				DecisionNumber: "榕鼓市监异〔2023〕88号", ReasonCode: 1, Reason: ptr("未依照规定报送年度报告"),
				ListedOn: day("2023-07-01"), Authority: "福州市鼓楼区市场监督管理局"}}},
		{"abnormal removal", line(KindAbnormalRemoval),
			Record{Kind: KindAbnormalRemoval, Removal: &store.ListingRemoval{List: credit.ListAbnormal,
				ListingDecisionNumber: "榕鼓市监异〔2023〕88号", Removal: credit.Removal{RemovedOn: day("2023-09-01"),
					Reason: "已补报年度报告", Authority: "福州市鼓楼区市场监督管理局"}}}},
		{"serious listing", line(KindSeriousListing, "penalty_decision_number", "榕市监处罚〔2022〕9号", "key_area", "special_food"),
			Record{Kind: KindSeriousListing, Listing: &credit.Listing{List: credit.ListSerious, USCC: usccA,
				DecisionNumber: "榕市监严〔2023〕3号", Reason: ptr("未经许可从事食品生产"), ListedOn: day("2023-02-01"),
				Authority: "福州市市场监督管理局", PenaltyDecisionNumber: ptr("榕市监处罚〔2022〕9号"), KeyArea: ptr(credit.AreaSpecialFood)}}},
		{"serious removal", line(KindSeriousRemoval),
			Record{Kind: KindSeriousRemoval, Removal: &store.ListingRemoval{List: credit.ListSerious,
				ListingDecisionNumber: "榕市监严〔2023〕3号", Removal: credit.Removal{RemovedOn: day("2026-02-01"),
					Reason: "expired", Authority: "福州市市场监督管理局"}}}},
		{"commitment found untrue", line(KindCommitment, "status", "untrue", "untrue_found_on", "2024-01-01"),
			Record{Kind: KindCommitment, Commitment: &credit.Commitment{USCC: usccA, CommitmentID: "CN-1",
				Kind: credit.CommitmentNotification, Content: "承诺符合食品生产条件", MadeOn: day("2023-01-05"),
				Status: credit.CommitmentUntrue, UntrueFoundOn: ptr(day("2024-01-01"))}}},
		{"commitment kind given as kind", line(KindCommitment, "kind", "voluntary", "commitment_kind", drop),
			Record{Kind: KindCommitment, Commitment: &credit.Commitment{USCC: usccA, CommitmentID: "CN-1",
				Kind: credit.CommitmentVoluntary, Content: "承诺符合食品生产条件", MadeOn: day("2023-01-05"),
				Status: credit.CommitmentInForce}}},
		{"credit repair", line(KindCreditRepair),
			Record{Kind: KindCreditRepair, Repair: &credit.CreditRepair{Target: credit.RepairPenalty,
				TargetDecisionNumber: "榕市监处罚〔2024〕12号", RepairedOn: day("2025-03-08"), Authority: "福州市市场监督管理局"}}},
		{"typical case", line(KindTypicalCase, "uscc", "92350203ma2y00001y", "key_area", "catering", "region_code", "350203"),
			Record{Kind: KindTypicalCase, TypicalCase: &credit.TypicalCase{CaseID: "TC-1", Title: "无证生产食品案",
				Summary: "当事人未取得许可。", USCC: ptr(usccB), PublishedOn: day("2024-06-01"), KeyArea: ptr(credit.AreaCatering),
				RegionCode: ptr("350203")}}},
		{"escaped names and values", `{"ki\u006ed":"typical_case","case_id":"TC-\u0031","title":"a\"b","summary":"line1\nline2",` +
			`"published_on":"2024-06-01"}`,
			Record{Kind: KindTypicalCase, TypicalCase: &credit.TypicalCase{CaseID: "TC-1", Title: `a"b`,
				Summary: "line1\nline2", PublishedOn: day("2024-06-01")}}},
		{"unknown members of every type are ignored", `{"kind":"typical_case","case_id":"TC-1","title":"t","summary":"s",` +
			`"published_on":"2024-06-01","n":1.5e3,"b":false,"z":null,"a":[[]],"o":{"revoked":"x"},"revoked":"not a penalty"}`,
			Record{Kind: KindTypicalCase, TypicalCase: &credit.TypicalCase{CaseID: "TC-1", Title: "t", Summary: "s",
				PublishedOn: day("2024-06-01")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, lerr := Decode([]byte(tt.line))
			if lerr != nil {
				t.Fatalf("Decode: %v", lerr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode =\n%s\nwant\n%s", show(got), show(tt.want))
			}
		})
	}
}

// A Parser reused across lines must not carry members from one to the next.
func TestParserReuse(t *testing.T) {
	var p Parser
	if _, lerr := p.Decode([]byte(line(KindPenalty, "revoked", true, "facts", "x"))); lerr != nil {
		t.Fatal(lerr)
	}
	rec, lerr := p.Decode([]byte(line(KindPenalty)))
	if lerr != nil {
		t.Fatal(lerr)
	}
	if rec.Penalty.Revoked || rec.Penalty.Facts != nil {
		t.Errorf("second line inherited members of the first: %+v", rec.Penalty)
	}
}

// show renders a value for a failure message, pointers followed.
func show(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b)
}
