package demo

// Demo API keys: published in README.md so that every example, PARTNER and
// REGULATOR ones too, runs on `go run ./server` as it is. The server accepts
// them only on the embedded store with this demo dataset (never with
// DATABASE_URL) and warns at start-up that it does. Read scope only.
const (
	PartnerKey   = "cg_demopartnerkeyforthedemoonly2345"
	RegulatorKey = "cg_demoregulatorkeyforthedemoonly23"
)

// Key is a demo key: its name, tier and secret.
type Key struct {
	Name, Tier, Secret string
}

// Keys are the demo keys, one per tier above PUBLIC.
var Keys = []Key{
	{Name: "demo-partner", Tier: "PARTNER", Secret: PartnerKey},
	{Name: "demo-regulator", Tier: "REGULATOR", Secret: RegulatorKey},
}
