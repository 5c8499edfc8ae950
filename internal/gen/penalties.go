package gen

import (
	"fmt"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/shopspring/decimal"
)

// penaltyPlan is the disclosure state a penalty is generated to be in on
// the anchor date; dates, types and amounts are drawn to make it so.
type penaltyPlan uint8

const (
	penInPeriod      penaltyPlan = iota // 3-year period, running
	penExpired                          // 3-year period, over
	penShortInPeriod                    // reprimand or lower-amount fine, 3 months running
	penShortExpired                     // reprimand or lower-amount fine, over
	penRestricted                       // restriction beyond 3 years
	penRepaired                         // disclosure stopped by credit repair
	penWithdrawn                        // revoked decision
	penSimple                           // simple procedure: never public
	penWarning                          // warning only: never public
)

var (
	penaltyPlanOrder = []penaltyPlan{penInPeriod, penExpired, penShortInPeriod, penShortExpired, penRestricted, penRepaired, penWithdrawn, penSimple, penWarning}
	penaltyPlanCards = map[penaltyPlan]int{penInPeriod: 5, penExpired: 3, penShortInPeriod: 1, penShortExpired: 2, penRestricted: 1, penRepaired: 3, penWithdrawn: 1, penSimple: 2, penWarning: 2}
)

type penalty struct {
	number     string
	v          *violation
	types      []credit.PenaltyType
	fine, conf int64 // fen
	decided    day
	published  day
	simple     bool
	restricted day // restriction_until
	revoked    bool
	repaired   day // credit repair date
	auth       *authority
	plan       penaltyPlan
	product    string
	facts      string
	content    string
	typical    bool // a typical case is published about it
}

// penaltyCount: most penalised enterprises have one penalty, a few are
// repeat offenders (屡罚不改).
func (g *generator) penaltyCount() int {
	switch x := g.r.IntN(100); {
	case x < 75:
		return 1
	case x < 93:
		return 2
	case x < 98:
		return 3
	}
	return g.r.between(4, 5)
}

// planPenalties adds n penalties decided before hi (the day before any
// serious listing, so a repair of it never meets a newer heavier penalty).
func (g *generator) planPenalties(e *ent, n int) {
	hi := g.anchor - 1
	for _, l := range e.sers {
		hi = minDay(hi, l.listed-60)
		if l.penalty >= 0 {
			hi = minDay(hi, e.pens[l.penalty].decided-60)
		}
	}
	for range n {
		plan := g.penaltyPlans.deal(g.r)
		if p, ok := g.newPenalty(e, plan, g.violationFor(e, plan), e.from, hi); ok {
			e.pens = append(e.pens, p)
		}
	}
}

// violationFor draws an offence fitting the enterprise's key areas; short
// plans want one whose fine can stay under the lower-amount threshold.
func (g *generator) violationFor(e *ent, plan penaltyPlan) *violation {
	limit := g.lowerFine(e)
	for try := 0; ; try++ {
		area := credit.KeyArea("")
		if len(e.areas) > 0 && g.r.pct(80) {
			area = pick(g.r, e.areas)
		}
		v := pick(g.r, g.byArea[area])
		if (plan != penShortInPeriod && plan != penShortExpired) || v.fine[0]*100 < limit || try > 8 {
			return v
		}
	}
}

// lowerFine is the lower-amount fine threshold for e, in fen.
func (g *generator) lowerFine(e *ent) int64 {
	t := g.policy.S.LowerFineOrganisation
	if e.org == orgIndividual {
		t = g.policy.S.LowerFineIndividual
	}
	return t.Mul(decimal.NewFromInt(100)).IntPart()
}

// decidedRange is the range of decision dates that puts a penalty of plan
// in its state on the anchor date, whatever the publication delay (0–20
// working days, at most 28 calendar days). Margins absorb AddDate's
// month-end normalisation.
func (g *generator) decidedRange(plan penaltyPlan, area credit.KeyArea, lo, hi day) (day, day) {
	a := g.anchor
	a3 := a.addDate(-3, 0, 0)
	switch plan {
	case penInPeriod:
		return maxDay(lo, a3+3), minDay(hi, a-30)
	case penExpired:
		return lo, minDay(hi, a3-35)
	case penShortInPeriod:
		return maxDay(lo, a-80), minDay(hi, a-30)
	case penShortExpired:
		return lo, minDay(hi, a-130)
	case penRepaired:
		w := g.policy.S.PenaltyRepairWait
		if area.IsStrictRepairArea() {
			w = g.policy.S.PenaltyRepairWaitStrict
		}
		return lo, minDay(hi, dayOf(w.Before(a.time()))-60)
	case penSimple:
		return lo, minDay(hi, a-1)
	}
	return lo, minDay(hi, a-30)
}

// newPenalty draws a penalty of plan decided in [lo, hi], falling back to a
// running or expired one when the plan does not fit the range.
func (g *generator) newPenalty(e *ent, plan penaltyPlan, v *violation, lo, hi day) (penalty, bool) {
	from, to := g.decidedRange(plan, v.area, lo, hi)
	if from > to {
		plan = penInPeriod
		if from, to = g.decidedRange(plan, v.area, lo, hi); from > to {
			plan = penExpired
			if from, to = g.decidedRange(plan, v.area, lo, hi); from > to {
				return penalty{}, false
			}
		}
	}
	r := g.r
	p := penalty{v: v, plan: plan, decided: r.dayIn(from, to), auth: e.pl.auth}
	if plan != penSimple && r.pct(20) {
		p.auth = e.pl.cityAuth
	}
	p.published = p.decided.addWorkdays(r.IntN(21))
	limit := g.lowerFine(e)
	fine := func() int64 {
		lo, hi := v.fine[0], v.fine[1]
		if hi == 0 {
			lo, hi = 5000, 50000
		}
		f := r.between64(lo, hi)
		if f >= 10000 {
			return f / 1000 * 1000 * 100
		}
		return f / 100 * 100 * 100
	}
	income := func() int64 { return r.between64(300_00, 30000_00) / 10 * 10 }
	switch plan {
	case penShortInPeriod, penShortExpired:
		if r.pct(15) {
			p.types = []credit.PenaltyType{credit.PenaltyPublicReprimand}
		} else {
			p.fine = min(fine(), (limit-1)/10000*10000)
			p.types = []credit.PenaltyType{credit.PenaltyFine}
			if r.pct(30) {
				p.types = []credit.PenaltyType{credit.PenaltyWarning, credit.PenaltyFine}
			}
		}
	case penSimple:
		p.simple = true
		p.published = p.decided
		if r.pct(50) {
			p.types = []credit.PenaltyType{credit.PenaltyWarning}
		} else {
			p.types = []credit.PenaltyType{credit.PenaltyFine}
			if e.org == orgIndividual {
				p.fine = r.between64(1, 4) * 50_00
			} else {
				p.fine = r.between64(2, 30) * 100_00
			}
		}
	case penWarning:
		p.types = []credit.PenaltyType{credit.PenaltyWarning}
	default: // disclosed for three years (or longer)
		p.fine = fine()
		p.types = []credit.PenaltyType{credit.PenaltyFine}
		if p.fine < limit || r.pct(45) {
			p.types = append(p.types, credit.PenaltyConfiscation)
			p.conf = income()
		}
		switch {
		case plan == penRestricted:
			p.types = append(p.types, credit.PenaltyRestriction)
			p.restricted = p.decided.addDate(5, 0, -1)
		case plan != penRepaired && r.pct(8):
			p.types = append(p.types, pick(r, []credit.PenaltyType{credit.PenaltySuspension, credit.PenaltyLicenseRevocation}))
		}
		p.revoked = plan == penWithdrawn
		p.typical = p.fine >= 100000_00 && r.pct(10)
	}
	doc := docPenalty
	if p.simple {
		doc = docSimple
	}
	p.number = g.decisionNumber(p.auth, doc, p.decided)
	p.product = g.product(e, v.area)
	return p, true
}

// heavyPenalty is the heavier penalty (较重行政处罚) behind a serious listing.
func (g *generator) heavyPenalty(e *ent, v *violation, decided day, revoked bool) penalty {
	r := g.r
	p := penalty{v: v, plan: penInPeriod, decided: decided, auth: e.pl.auth, revoked: revoked}
	if r.pct(30) {
		p.auth = e.pl.cityAuth
	}
	p.published = decided.addWorkdays(r.IntN(21))
	p.fine = r.between64(v.fine[0], v.fine[1]*2) / 1000 * 1000 * 100
	p.conf = r.between64(2000_00, 200000_00) / 10 * 10
	p.types = []credit.PenaltyType{credit.PenaltyFine, credit.PenaltyConfiscation}
	switch x := r.IntN(100); {
	case x < 40:
		p.types = append(p.types, credit.PenaltyLicenseRevocation)
	case x < 70:
		p.types = append(p.types, credit.PenaltySuspension)
	case v.area == credit.AreaSpecialFood || x < 80:
		p.types = append(p.types, credit.PenaltyRestriction)
		p.restricted = decided.addDate(5, 0, -1)
	}
	p.number = g.decisionNumber(p.auth, docPenalty, decided)
	p.product = g.product(e, v.area)
	return p
}

var (
	drugProducts     = []string{"阿莫西林胶囊", "板蓝根颗粒", "复方甘草片", "头孢克肟分散片", "连花清瘟胶囊"}
	deviceProducts   = []string{"医用外科口罩", "一次性使用无菌注射器", "软性亲水接触镜", "电子血压计", "血糖试纸"}
	cosmeticProducts = []string{"美白祛斑霜", "防晒乳", "染发膏", "祛痘精华液", "婴儿润肤霜"}
	generalProducts  = []string{"运动鞋", "服装", "电子产品", "茶具", "日用百货", "手机配件"}
	prepacked        = []string{"进口巧克力", "饼干", "饮料", "奶粉", "白酒"}
)

// product names what a penalty or check is about: for an offence outside
// the key areas, one of the enterprise's own products if it has any.
func (g *generator) product(e *ent, area credit.KeyArea) string {
	r := g.r
	if area == "" {
		for _, a := range e.areas {
			if a != credit.AreaSpecialEquipment {
				area = a
				break
			}
		}
	}
	switch area {
	case credit.AreaFoodProduction:
		if e.food != nil {
			return pick(r, e.food.products)
		}
		return pick(r, foodCategories[r.IntN(len(foodCategories))].products)
	case credit.AreaSpecialFood:
		if e.special != nil {
			return pick(r, e.special.products)
		}
		return pick(r, specialCategories[0].products)
	case credit.AreaSpecialEquipment:
		ks := equipKinds[e.prof.equip]
		if len(ks) == 0 {
			ks = equipKinds[equipElevator]
		}
		return pick(r, ks).variety
	case credit.AreaCatering:
		if len(e.pl.snacks) > 0 && r.pct(50) {
			return pick(r, e.pl.snacks)
		}
		return pick(r, []string{"凉菜", "卤味", "海鲜", "米饭", "熟食"})
	case credit.AreaFoodDistribution:
		if r.pct(50) {
			return pick(r, prepacked)
		}
		return pick(r, retailSamples).product
	case credit.AreaDrug:
		return pick(r, drugProducts)
	case credit.AreaMedicalDevice:
		return pick(r, deviceProducts)
	case credit.AreaCosmetics:
		return pick(r, cosmeticProducts)
	case credit.AreaIndustrialProduct:
		return industrialLines[e.line].sampling
	}
	return pick(r, generalProducts)
}

// describe fills the facts and content texts. Now and then the facts name a
// person with an ID number and telephone, as real decisions do: that is
// what redaction is for.
func (g *generator) describe(e *ent, p *penalty) {
	r := g.r
	value := r.between64(500_00, 80000_00) / 100 * 100
	facts := fmt.Sprintf(p.v.facts, cnDate(p.decided-day(r.between(20, 120))), p.product, amountString(value), amountString(max(p.conf, 100_00)))
	if r.pct(25) {
		var who person
		if r.pct(50) {
			who = e.rep
		} else {
			who = g.person(e, e.pl.county.code)
		}
		facts += "当事人委托代理人" + who.name + "（公民身份号码" + who.id + "，联系电话" + who.phone + "）对上述事实予以确认。"
	}
	p.facts = facts

	var parts []string
	for _, t := range p.types {
		switch t {
		case credit.PenaltyWarning:
			parts = append(parts, "警告")
		case credit.PenaltyPublicReprimand:
			parts = append(parts, "通报批评")
		case credit.PenaltyFine:
			parts = append(parts, "罚款人民币"+amountString(p.fine)+"元")
		case credit.PenaltyConfiscation:
			parts = append(parts, "没收违法所得人民币"+amountString(p.conf)+"元")
		case credit.PenaltySuspension:
			parts = append(parts, "责令停产停业三个月")
		case credit.PenaltyLicenseRevocation:
			parts = append(parts, "吊销"+licenceNameFor(p.v.area))
		case credit.PenaltyRestriction:
			parts = append(parts, "限制开展生产经营活动，期限至"+cnDate(p.restricted))
		}
	}
	p.content = strings.Join(parts, "；")
}

func licenceNameFor(a credit.KeyArea) string {
	switch a {
	case credit.AreaFoodProduction, credit.AreaSpecialFood:
		return "食品生产许可证"
	case credit.AreaCatering, credit.AreaFoodDistribution:
		return "食品经营许可证"
	case credit.AreaDrug:
		return "药品经营许可证"
	case credit.AreaMedicalDevice:
		return "医疗器械经营许可证"
	case credit.AreaCosmetics:
		return "化妆品生产许可证"
	case credit.AreaIndustrialProduct:
		return "全国工业产品生产许可证"
	case credit.AreaSpecialEquipment:
		return "特种设备使用登记证"
	}
	return "相关许可证件"
}

// creditPenalty is the domain view of p, for asking the policy.
func (g *generator) creditPenalty(e *ent, p *penalty) credit.Penalty {
	cp := credit.Penalty{
		USCC:           e.uscc,
		DecisionNumber: p.number,
		ViolationType:  p.v.name,
		PenaltyTypes:   p.types,
		Authority:      p.auth.name,
		DecidedOn:      p.decided.time(),
		PublishedOn:    p.published.time(),
		Procedure:      credit.ProcedureOrdinary,
		Revoked:        p.revoked,
	}
	if p.simple {
		cp.Procedure = credit.ProcedureSimple
	}
	if p.fine > 0 {
		f := decimal.New(p.fine, -2)
		cp.FineAmount = &f
	}
	if p.restricted != 0 {
		t := p.restricted.time()
		cp.RestrictionUntil = &t
	}
	if p.v.area != "" {
		a := p.v.area
		cp.KeyArea = &a
	}
	return cp
}

// planRepairs dates the credit repairs of penalties planned as repaired,
// and keeps only those the importer would accept: published long enough
// ago, repairable types, no repeat of the violation, not on any list.
func (g *generator) planRepairs(e *ent) {
	for i := range e.pens {
		p := &e.pens[i]
		if p.plan != penRepaired || len(e.sers) > 0 {
			continue
		}
		repeat := false
		for j := range e.pens {
			if j != i && e.pens[j].v.name == p.v.name {
				repeat = true
			}
		}
		if repeat {
			continue
		}
		cp := g.creditPenalty(e, p)
		w := g.policy.S.PenaltyRepairWait
		if p.v.area.IsStrictRepairArea() {
			w = g.policy.S.PenaltyRepairWaitStrict
		}
		lo := dayOf(w.After(cp.PublishedOn))
		hi := minDay(dayOf(g.policy.PenaltyEndsOn(cp))-1, g.anchor-1)
		for try := 0; try < 4 && p.repaired == 0; try++ {
			on := g.r.dayIn(lo, hi)
			if lo > hi || e.listedOn(on) {
				continue
			}
			if g.policy.CheckPenaltyRepair(cp, on.time(), credit.PenaltyRepairFacts{}) == nil {
				p.repaired = on
			}
		}
	}
}

// listedOn reports whether e is on either list on d.
func (e *ent) listedOn(d day) bool {
	for _, l := range e.abns {
		if l.listed <= d && (l.removed == 0 || l.removed > d) {
			return true
		}
	}
	return len(e.sers) > 0
}

func (g *generator) writePenalties(e *ent) {
	o := &g.o
	for i := range e.pens {
		p := &e.pens[i]
		g.describe(e, p)
		o.begin("penalty")
		o.str("uscc", e.uscc)
		o.str("decision_number", p.number)
		o.str("violation_type", p.v.name)
		o.str("facts", p.facts)
		o.str("basis", p.v.basis)
		o.key("penalty_types")
		o.buf = append(o.buf, '[')
		for k, t := range p.types {
			if k > 0 {
				o.buf = append(o.buf, ',')
			}
			o.buf = appendJSONString(o.buf, string(t))
		}
		o.buf = append(o.buf, ']')
		o.str("content", p.content)
		if p.fine > 0 {
			o.amount("fine_amount", p.fine)
		}
		if p.conf > 0 {
			o.amount("confiscation_amount", p.conf)
		}
		o.str("authority", p.auth.name)
		o.date("decided_on", p.decided)
		o.date("published_on", p.published)
		if p.simple {
			o.str("procedure", string(credit.ProcedureSimple))
		} else {
			o.str("procedure", string(credit.ProcedureOrdinary))
		}
		o.optDate("restriction_until", p.restricted)
		o.opt("key_area", string(p.v.area))
		if p.revoked {
			o.boolean("revoked", true)
		}
		o.end()
	}
}
