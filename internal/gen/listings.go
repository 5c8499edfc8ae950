package gen

import (
	"github.com/creditgraph/creditgraph/internal/credit"
)

// seriousPlan is the state a serious listing is generated to be in on the
// anchor date.
type seriousPlan uint8

const (
	serListed         seriousPlan = iota // in its three years
	serExpired                           // removed at expiry
	serRepairRecord                      // removed early by a credit_repair record
	serRepairRemoval                     // removed early, removal reason credit_repair
	serWithdrawn                         // removal reason revoked (the penalty was revoked)
	serAbnormalGround                    // abnormal list for three years, still listed
)

var (
	seriousPlanOrder = []seriousPlan{serListed, serExpired, serRepairRecord, serRepairRemoval, serWithdrawn, serAbnormalGround}
	seriousPlanCards = map[seriousPlan]int{serListed: 4, serExpired: 2, serRepairRecord: 1, serRepairRemoval: 1, serWithdrawn: 1, serAbnormalGround: 1}
)

// abnormalPlan is the state an abnormal listing is generated to be in.
type abnormalPlan uint8

const (
	abRemoved  abnormalPlan = iota // listed, then removed
	abListed                       // listed recently
	abOverdue                      // listed over three years ago: due for the serious list
	abReminder                     // due for the serious list within 60 days
)

var (
	abnormalPlanOrder = []abnormalPlan{abRemoved, abListed, abOverdue, abReminder}
	abnormalPlanCards = map[abnormalPlan]int{abRemoved: 5, abListed: 3, abOverdue: 1, abReminder: 1}
)

type listing struct {
	number     string
	reasonCode int    // abnormal list
	reason     string // abnormal reason or serious ground
	listed     day
	auth       *authority
	penalty    int // index in ent.pens of the penalty behind a serious listing, or -1
	area       credit.KeyArea
	removed    day
	removal    string // removal reason
	repaired   day    // date of a credit_repair record
	typical    bool
}

// planSerious puts e on the serious list, with the heavier penalty behind
// it (and perhaps earlier ones: repeat offenders), or for three years on
// the abnormal list.
func (g *generator) planSerious(e *ent, plan seriousPlan) {
	r := g.r
	var heavy []*violation
	for _, a := range e.prof.areas {
		heavy = append(heavy, g.heavy[a]...)
	}
	a, a3 := g.anchor, g.anchor.addDate(-3, 0, 0)
	if plan == serAbnormalGround || len(heavy) == 0 {
		from, to := e.from, a3-70
		if from > to {
			return
		}
		ab := listing{listed: r.dayIn(from, to), penalty: -1, auth: e.pl.auth}
		ab.reasonCode = 1
		if r.pct(30) {
			ab.reasonCode = 4
		}
		g.abnormalText(e, &ab)
		ab.number = g.decisionNumber(ab.auth, docAbnormal, ab.listed)
		e.abns = append(e.abns, ab)
		l := listing{reason: abnormalGround, listed: ab.listed.addDate(3, 0, r.between(3, 60)), penalty: -1, auth: e.pl.auth}
		l.number = g.decisionNumber(l.auth, docSerious, l.listed)
		e.sers = append(e.sers, l)
		return
	}

	v := pick(r, heavy)
	ranges := map[seriousPlan][2]day{
		serListed:        {maxDay(e.from, a3+5), a - 45},
		serExpired:       {e.from, a3 - 60},
		serRepairRecord:  {e.from, a.addDate(-1, 0, 0) - 75},
		serRepairRemoval: {e.from, a.addDate(-1, 0, 0) - 75},
		serWithdrawn:     {e.from, a - 60},
	}
	rg := ranges[plan]
	if rg[0] > rg[1] {
		plan, rg = serListed, ranges[serListed]
		if rg[0] > rg[1] {
			return
		}
	}
	decided := r.dayIn(rg[0], rg[1])
	p := g.heavyPenalty(e, v, decided, plan == serWithdrawn)
	l := listing{reason: v.ground, listed: decided + day(r.between(5, 40)), penalty: len(e.pens), area: v.area, auth: p.auth}
	l.number = g.decisionNumber(l.auth, docSerious, l.listed)
	switch plan {
	case serExpired:
		l.removed, l.removal = l.listed.addDate(3, 0, r.between(0, 10)), string(credit.RemovalExpired)
	case serRepairRecord, serRepairRemoval:
		on := r.dayIn(l.listed.addDate(1, 0, 0), minDay(l.listed.addDate(3, 0, -2), a-1))
		if plan == serRepairRecord {
			l.repaired = on
		} else {
			l.removed, l.removal = on, string(credit.RemovalCreditRepair)
		}
	case serWithdrawn:
		l.removed, l.removal = r.dayIn(l.listed+15, minDay(l.listed.addDate(2, 0, 0), a-1)), string(credit.RemovalRevoked)
	}
	l.typical = r.pct(50)
	e.pens = append(e.pens, p)
	e.sers = append(e.sers, l)
	if !g.seriousAcceptable(e, &l) {
		// cannot happen by construction; never emit what an importer rejects
		e.sers[len(e.sers)-1].removed, e.sers[len(e.sers)-1].repaired, e.sers[len(e.sers)-1].removal = 0, 0, ""
	}
	if r.pct(40) {
		g.planPenalties(e, r.between(1, 2)) // earlier penalties: planPenalties stops before the listing
	}
}

func (g *generator) creditListing(e *ent, l *listing, serious bool) credit.Listing {
	cl := credit.Listing{List: credit.ListAbnormal, USCC: e.uscc, DecisionNumber: l.number, ReasonCode: l.reasonCode, ListedOn: l.listed.time(), Authority: l.auth.name}
	if serious {
		cl.List = credit.ListSerious
	}
	return cl
}

// seriousAcceptable asks the policy about a serious listing's removal or
// repair, as the importer will.
func (g *generator) seriousAcceptable(e *ent, l *listing) bool {
	cl := g.creditListing(e, l, true)
	if l.repaired != 0 && g.policy.CheckSeriousRepair(cl, l.repaired.time(), credit.SeriousRepairFacts{}) != nil {
		return false
	}
	if l.removed != 0 {
		rm := credit.Removal{RemovedOn: l.removed.time(), Reason: l.removal, Authority: l.auth.name}
		return g.policy.CheckRemoval(cl, rm, credit.SeriousRepairFacts{}) == nil
	}
	return true
}

// planAbnormal puts e on the abnormal operations list, once or twice.
func (g *generator) planAbnormal(e *ent) {
	r := g.r
	plan := g.abnormalPlans.deal(r)
	a, a3 := g.anchor, g.anchor.addDate(-3, 0, 0)
	ranges := map[abnormalPlan][2]day{
		abRemoved:  {e.from, a - 40},
		abListed:   {maxDay(e.from, a3+70), a - 5},
		abOverdue:  {e.from, a3 - 1},
		abReminder: {maxDay(e.from, a3+1), a3 + 55},
	}
	rg := ranges[plan]
	if rg[0] > rg[1] {
		plan, rg = abListed, ranges[abListed]
		if rg[0] > rg[1] {
			return
		}
	}
	l := g.abnormalListing(e, plan, rg[0], rg[1])
	e.abns = append(e.abns, l)
	if l.removed != 0 && r.pct(15) {
		if lo, hi := l.removed+30, a-5; lo <= hi {
			plan := abListed
			if r.pct(50) && lo <= a-40 {
				plan, hi = abRemoved, a-40
			}
			e.abns = append(e.abns, g.abnormalListing(e, plan, lo, hi))
		}
	}
}

func (g *generator) abnormalListing(e *ent, plan abnormalPlan, lo, hi day) listing {
	r := g.r
	l := listing{penalty: -1, auth: e.pl.auth}
	switch x := r.IntN(100); {
	case x < 62:
		l.reasonCode = 1
	case x < 90:
		l.reasonCode = 4
	case e.org == orgIndividual:
		l.reasonCode = 1
	case x < 97:
		l.reasonCode = 2
	default:
		l.reasonCode = 3
	}
	l.listed = r.dayIn(lo, hi)
	if l.reasonCode == 1 {
		// annual reports are due by 30 June: listings come in July and August
		if d := dayFromCivil(l.listed.year(), 7, 1) + day(r.IntN(62)); d >= lo && d <= hi {
			l.listed = d
		}
	}
	g.abnormalText(e, &l)
	l.number = g.decisionNumber(l.auth, docAbnormal, l.listed)
	if plan == abRemoved && l.listed+10 < g.anchor {
		stay := 700
		if l.reasonCode == 1 {
			stay = 180
		}
		l.removed = r.dayIn(l.listed+10, minDay(l.listed+day(stay), g.anchor-1))
		l.removal = abnormalReasons[l.reasonCode].removal
		if r.pct(40) {
			l.repaired = l.removed
		}
	}
	return l
}

func (g *generator) abnormalText(e *ent, l *listing) {
	if e.org == orgIndividual && individualAbnormal[l.reasonCode] != "" {
		l.reason = individualAbnormal[l.reasonCode]
		return
	}
	l.reason = abnormalReasons[l.reasonCode].listing
}

// writeListings writes the lists, then what refers to them: removals,
// credit repairs (with the repair commitment) and typical cases.
func (g *generator) writeListings(e *ent) {
	o := &g.o
	for i := range e.sers {
		l := &e.sers[i]
		o.begin("serious_listing")
		o.str("uscc", e.uscc)
		o.str("decision_number", l.number)
		o.str("ground", l.reason)
		o.date("listed_on", l.listed)
		o.str("authority", l.auth.name)
		if l.penalty >= 0 {
			o.str("penalty_decision_number", e.pens[l.penalty].number)
		}
		o.opt("key_area", string(l.area))
		o.end()
	}
	for i := range e.abns {
		l := &e.abns[i]
		o.begin("abnormal_listing")
		o.str("uscc", e.uscc)
		o.str("decision_number", l.number)
		o.integer("reason_code", l.reasonCode)
		o.str("reason", l.reason)
		o.date("listed_on", l.listed)
		o.str("authority", l.auth.name)
		o.end()
	}
	for i := range e.sers {
		l := &e.sers[i]
		if l.removed != 0 {
			g.writeRemoval("serious_removal", l)
		}
		if l.repaired != 0 {
			g.writeRepair(e, credit.RepairSeriousListing, l.number, l.repaired, l.auth)
		}
	}
	for i := range e.abns {
		l := &e.abns[i]
		if l.removed != 0 {
			g.writeRemoval("abnormal_removal", l)
		}
		if l.repaired != 0 {
			g.writeRepair(e, credit.RepairAbnormalListing, l.number, l.repaired, l.auth)
		}
	}
	for i := range e.pens {
		if p := &e.pens[i]; p.repaired != 0 {
			g.writeRepair(e, credit.RepairPenalty, p.number, p.repaired, p.auth)
		}
	}
	for i := range e.sers {
		if l := &e.sers[i]; l.typical && l.penalty >= 0 {
			g.writeCase(e, &e.pens[l.penalty], l)
		}
	}
	for i := range e.pens {
		if p := &e.pens[i]; p.typical {
			g.writeCase(e, p, nil)
		}
	}
}

func (g *generator) writeRemoval(kind string, l *listing) {
	o := &g.o
	o.begin(kind)
	o.str("listing_decision_number", l.number)
	o.date("removed_on", l.removed)
	o.str("reason", l.removal)
	o.str("authority", l.auth.name)
	o.end()
}

// writeRepair writes a credit repair, preceded by the applicant's repair
// commitment (信用修复承诺书), which the procedure requires.
func (g *generator) writeRepair(e *ent, target credit.RepairTarget, number string, on day, a *authority) {
	if target != credit.RepairAbnormalListing {
		g.writeCommitment(e, false, repairCommitment, maxDay(e.from, on-day(g.r.between(5, 30))), credit.CommitmentFulfilled, 0)
	}
	o := &g.o
	o.begin("credit_repair")
	o.str("target", string(target))
	o.str("target_decision_number", number)
	o.date("repaired_on", on)
	o.str("authority", a.name)
	o.end()
}

var caseSources = []string{"日常监督检查", "食品安全监督抽检", "群众投诉举报", "“双随机、一公开”抽查", "专项整治行动", "上级部门交办线索"}

// writeCase publishes a typical case (典型案例) about a penalty, and the
// serious listing that followed it, if any.
func (g *generator) writeCase(e *ent, p *penalty, l *listing) {
	r := g.r
	pub := p.published + day(r.between(10, 150))
	if l != nil {
		pub = l.listed + day(r.between(10, 150))
	}
	pub = minDay(pub, g.anchor-1)
	b := g.text[:0] // not g.scratch: g.mobile below uses that
	b = append(b, cnDate(p.decided-day(r.between(30, 150)))...)
	b = append(b, "，"...)
	b = append(b, p.auth.short...)
	b = append(b, "在"...)
	b = append(b, pick(r, caseSources)...)
	b = append(b, "中发现"...)
	b = append(b, e.name...)
	b = append(b, "涉嫌"...)
	b = append(b, p.v.name...)
	b = append(b, "，依法立案调查。"...)
	b = append(b, p.facts...)
	b = append(b, p.auth.short...)
	b = append(b, "依据"...)
	b = append(b, p.v.basis...)
	b = append(b, "，对当事人作出"...)
	b = append(b, p.content...)
	b = append(b, "的行政处罚"...)
	if l != nil {
		b = append(b, "，并将其列入严重违法失信名单，实施信用约束和联合惩戒"...)
	}
	b = append(b, "。"...)
	if r.pct(20) {
		b = append(b, "本案线索由群众"...)
		b = append(b, g.surnames.pick(r)...)
		b = append(b, "某（联系电话"...)
		b = append(b, g.mobile()...)
		b = append(b, "）举报，经查属实，举报人依法获得奖励。"...)
	}
	switch p.v.area {
	case credit.AreaFoodProduction, credit.AreaSpecialFood, credit.AreaCatering, credit.AreaFoodDistribution:
		b = append(b, "本案的查处，彰显了市场监管部门以“四个最严”守护群众“舌尖上的安全”的坚定决心。"...)
	case credit.AreaSpecialEquipment:
		b = append(b, "特种设备安全事关人民群众生命财产安全，使用单位必须落实安全主体责任。"...)
	default:
		b = append(b, "市场监管部门将持续加大执法力度，营造公平竞争的市场环境。"...)
	}
	summary := string(b)
	g.text = b

	y := pub.year()
	id := append(g.scratch[:0], "FJDXAL"...)
	id = appendPadded(id, y, 4)
	id = appendPadded(id, g.next(g.province, y, docCase, 0), 4)
	g.scratch = id

	o := &g.o
	o.begin("typical_case")
	o.str("case_id", string(id))
	o.str("title", p.auth.short+"查处"+e.name+p.v.name+"案")
	o.str("summary", summary)
	o.str("uscc", e.uscc)
	o.date("published_on", pub)
	o.opt("key_area", string(p.v.area))
	o.str("region_code", e.pl.county.code)
	o.end()
}
