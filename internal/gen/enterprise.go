package gen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// ent is the enterprise being generated, reused from one to the next.
type ent struct {
	i       int
	org     orgKind
	prof    *profile
	pl      *place
	areas   []credit.KeyArea
	food    *foodCategory // food producers: what they make
	special *foodCategory // special-food producers
	line    int           // industrial producers: index in industrialLines
	uscc    string
	name    string
	former  []string
	ctype   string
	status  credit.EnterpriseStatus
	est     day
	from    day // earliest record date: six years before the anchor, or three months after establishment
	rep     person
	phone   string
	address string
	regAuth *authority

	pens []penalty
	abns []listing
	sers []listing
}

type person struct {
	name, id, phone string
	nick            string // what a shop is called after: 阿明, 老陈, 陈记
}

// reformDay is when USCCs replaced organisation codes (2015-10-01).
var reformDay = dayFromCivil(2015, 10, 1)

func (g *generator) enterprise(i int) {
	e := &g.e
	*e = ent{i: i, areas: e.areas[:0], former: e.former[:0], pens: e.pens[:0], abns: e.abns[:0], sers: e.sers[:0]}
	serious := g.seriousFate.deal(g.r)
	abnormal := g.abnormalFate.deal(g.r)
	penalised := g.penaltyFate.deal(g.r)

	var plan seriousPlan
	if serious {
		plan = g.seriousPlans.deal(g.r)
	}
	e.org = g.orgKinds.pick(g.r)
	e.prof = g.profiles[e.org].pick(g.r)
	for serious && plan != serAbnormalGround && !g.canBeHeavy(e.prof) {
		// a listing for a heavier penalty needs a key area that has them
		e.org = g.orgKinds.pick(g.r)
		e.prof = g.profiles[e.org].pick(g.r)
	}
	e.pl = g.places.pick(g.r)
	g.establish(e, serious, abnormal || penalised)
	g.identify(e)
	g.keyAreas(e)
	g.name(e)
	g.contact(e)

	if serious {
		g.planSerious(e, plan)
	}
	if abnormal && len(e.abns) == 0 {
		g.planAbnormal(e)
	}
	if penalised {
		g.planPenalties(e, g.penaltyCount())
	}
	g.planRepairs(e)

	g.writeEnterprise(e)
	g.writeLicences(e)
	g.writeInspections(e)
	g.writeCommitments(e)
	g.writePenalties(e)
	g.writeListings(e)
}

func (g *generator) canBeHeavy(p *profile) bool {
	for _, a := range p.areas {
		if len(g.heavy[a]) > 0 {
			return true
		}
	}
	return false
}

// establish draws the establishment date and status. Enterprises with a
// record history are mostly older, so their histories fit in six years.
func (g *generator) establish(e *ent, serious, hasHistory bool) {
	r := g.r
	lo := dayFromCivil(1995, 1, 1)
	switch {
	case e.org == orgIndividual:
		lo = dayFromCivil(2006, 1, 1)
	case e.org == orgCooperative:
		lo = dayFromCivil(2008, 1, 1)
	}
	hi := g.anchor - 30
	switch {
	case serious || hasHistory && r.pct(85):
		hi = g.start - 30
	case r.pct(55):
		lo = maxDay(lo, g.anchor.addDate(-8, 0, 0)) // the young majority
	}
	e.est = r.dayIn(lo, hi)
	e.from = maxDay(g.start, e.est+90) // after its first licence
	switch x := r.IntN(100); {
	case x < 90:
		e.status = credit.StatusOperating
	case x < 95:
		e.status = credit.StatusCancelled
	case x < 99:
		e.status = credit.StatusRevoked
	default:
		e.status = credit.StatusMovedOut
	}
}

// identify makes the USCC.
func (g *generator) identify(e *ent) {
	modern := e.org == orgIndividual || e.est >= reformDay
	org := newOrgCode(g.scratch[:0], uint64(e.i), modern, g.ma, g.old)
	b := appendUSCC(make([]byte, 0, 18), orgTypeChar[e.org], e.pl.county.code, org)
	e.uscc = string(b)
}

func (g *generator) keyAreas(e *ent) {
	e.areas = append(e.areas, e.prof.areas...)
	if e.prof.extra != "" && g.r.pct(e.prof.extraPct) && !slices.Contains(e.areas, e.prof.extra) {
		e.areas = append(e.areas, e.prof.extra)
	}
	slices.SortFunc(e.areas, func(a, b credit.KeyArea) int {
		return slices.Index(credit.KeyAreas, a) - slices.Index(credit.KeyAreas, b)
	})
	if slices.Contains(e.areas, credit.AreaFoodProduction) {
		e.food = &foodCategories[g.r.IntN(len(foodCategories))]
		if code, ok := countySpecialty[e.pl.county.code]; ok && g.r.pct(60) {
			for k := range foodCategories {
				if foodCategories[k].code == code {
					e.food = &foodCategories[k]
				}
			}
		}
		if e.prof.name == "tea_coop" {
			e.food = &foodCategories[slices.IndexFunc(foodCategories, func(c foodCategory) bool { return c.code == "14" })]
		}
	}
	if slices.Contains(e.areas, credit.AreaSpecialFood) {
		e.special = &specialCategories[g.r.IntN(len(specialCategories))]
	}
	e.line = g.r.IntN(len(industrialLines))
}

func (g *generator) tradeName() string {
	if g.r.pct(8) {
		return pick(g.r, tradeWhole)
	}
	for {
		a, b := pick(g.r, tradeFirst), pick(g.r, tradeSecond)
		if a != b {
			return a + b
		}
	}
}

// industryWord is the industry part of a company name.
func (g *generator) industryWord(e *ent) string {
	switch {
	case e.special != nil && e.org == orgCompany:
		return pick(g.r, e.special.words)
	case e.food != nil && e.org == orgCompany:
		return pick(g.r, e.food.words)
	case e.prof.name == "industrial":
		return industrialLines[e.line].word
	}
	return pick(g.r, e.prof.words)
}

func (g *generator) name(e *ent) {
	r, pl := g.r, e.pl
	e.rep = g.person(e, pl.county.code)
	switch e.org {
	case orgIndividual:
		e.ctype = typeIndividual
		var word string
		switch {
		case e.food != nil:
			word = e.food.workshop
		default:
			word = pick(r, e.prof.words)
		}
		if e.prof.name == "snack" && r.pct(35) && len(pl.snacks) > 0 {
			word = pick(r, pl.snacks) + "店"
		}
		shop := e.rep.nick
		if r.pct(20) {
			shop = g.tradeName()
		}
		e.name = pl.county.name + shop + word
		return
	case orgCooperative:
		e.ctype = typeCooperative
		e.name = pl.county.name + g.tradeName() + pick(r, e.prof.words)
		return
	}
	e.ctype = g.ctypes.pick(r)
	trade, word := g.tradeName(), g.industryWord(e)
	e.name = g.companyName(e, trade, word)
	if r.pct(12) {
		// a change of name: a new trade name, a new line of business or a wider region
		switch r.IntN(3) {
		case 0:
			e.former = append(e.former, g.companyName(e, g.tradeName(), word))
		case 1:
			e.former = append(e.former, g.companyName(e, trade, pick(r, []string{"贸易", "商贸", "实业", "科技"})))
		default:
			e.former = append(e.former, pl.city.name+trade+word+"有限公司")
		}
		if r.pct(15) {
			e.former = append(e.former, pl.city.name+g.tradeName()+"贸易有限公司")
		}
		if e.former[0] == e.name {
			e.former = e.former[:0]
		}
	}
}

func (g *generator) companyName(e *ent, trade, word string) string {
	pl := e.pl
	suffix := "有限公司"
	if strings.HasPrefix(e.ctype, "股份") {
		suffix = "股份有限公司"
	}
	if strings.Contains(e.ctype, "台港澳") || strings.Contains(e.ctype, "外商") {
		return trade + "（" + pick(g.r, []string{"福建", "厦门", "中国"}) + "）" + word + suffix
	}
	var prefix string
	switch x := g.r.IntN(100); {
	case x < 12:
		prefix = "福建"
	case x < 18:
		prefix = "福建省"
	case x < 50:
		prefix = pl.city.name
	case x < 65:
		prefix = pl.city.name + "市"
	case pl.county.urban:
		prefix = pl.city.name + "市" + pl.county.name
	default:
		prefix = pl.county.name
	}
	name := prefix + trade + word + suffix
	if strings.Contains(e.ctype, "分公司") {
		name += strings.TrimRight(pl.county.name, "区县市") + "分公司"
	}
	return name
}

// person draws a name, an ID number with a valid check digit and a mobile
// number. Most are born where they registered.
func (g *generator) person(e *ent, division string) person {
	r := g.r
	var p person
	sur := g.surnames.pick(r)
	male := r.pct(62)
	given := givenFemale
	if male {
		given = givenMale
	}
	first := pick(r, given)
	p.name = sur + first
	if r.pct(75) {
		if second := pick(r, given); second != first || r.pct(10) {
			p.name += second
		}
	}
	last := p.name[len(p.name)-3:] // one CJK character
	switch r.IntN(4) {
	case 0:
		p.nick = "阿" + last
	case 1:
		p.nick = "老" + sur
	case 2:
		p.nick = sur + "记"
	default:
		p.nick = p.name[len(sur):]
	}
	switch x := r.IntN(100); {
	case x < 15:
		division = g.places.pick(r).county.code
	case x < 20:
		division = pick(r, otherProvinceIDPrefixes)
	}
	birth := e.est.addDate(-r.between(22, 55), 0, -r.IntN(365))
	if lo := dayFromCivil(1950, 1, 1); birth < lo {
		birth = lo + day(r.IntN(3650))
	}
	seq := r.IntN(500) * 2
	if male {
		seq++
	}
	p.id = idNumber(division, birth, seq)
	p.phone = g.mobile()
	return p
}

func (g *generator) mobile() string {
	b := append(g.scratch[:0], pick(g.r, mobilePrefixes)...)
	b = appendPadded(b, g.r.IntN(100_000_000), 8)
	g.scratch = b
	return string(b)
}

func (g *generator) contact(e *ent) {
	r, pl := g.r, e.pl
	if r.pct(70) {
		e.phone = e.rep.phone
	} else {
		digits := 7
		if pl.city.code == "3501" || pl.city.code == "3502" || pl.city.code == "3505" {
			digits = 8
		}
		e.phone = pl.city.areaCode + "-" + strconv.Itoa(r.between(2, 8)) + string(appendPadded(nil, r.IntN(pow10[digits-1]), digits-1))
	}
	e.address = g.address(pl)
	switch {
	case e.org == orgCompany && (pl.city.code == "3502" || r.pct(35)):
		e.regAuth = pl.cityAuth
	default:
		e.regAuth = pl.auth
	}
}

var pow10 = [...]int{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000}

func (g *generator) address(pl *place) string {
	r := g.r
	b := append(g.scratch[:0], "福建省"...)
	b = append(b, pl.city.name...)
	b = append(b, "市"...)
	b = append(b, pl.county.name...)
	if pl.county.urban {
		b = append(b, pick(r, pl.city.streets)...)
		b = strconv.AppendInt(b, int64(r.between(1, 600)), 10)
		b = append(b, "号"...)
		if r.pct(50) {
			b = append(b, g.tradeName()...)
			b = append(b, pick(r, buildings)...)
			b = strconv.AppendInt(b, int64(r.between(1, 28)), 10)
			b = append(b, "层"...)
			b = strconv.AppendInt(b, int64(r.between(1, 28)*100+r.between(1, 20)), 10)
			b = append(b, "室"...)
		}
	} else {
		b = append(b, pick(r, towns)...)
		b = append(b, pick(r, villages)...)
		b = strconv.AppendInt(b, int64(r.between(1, 300)), 10)
		b = append(b, "号"...)
	}
	g.scratch = b
	return string(b)
}

// capital is the registered capital in 万元, in fen of 万元 (two decimals).
func (g *generator) capital(e *ent) int64 {
	lo, hi := e.prof.capital[0], e.prof.capital[1]
	nice := []int{1, 2, 3, 5, 8, 10, 20, 30, 50, 80, 100, 120, 150, 200, 300, 500, 800, 1000, 1200, 1500, 2000, 3000, 5000, 8000, 10000, 20000}
	var opts []int
	for _, n := range nice {
		if n >= lo && n <= hi {
			opts = append(opts, n)
		}
	}
	// smaller amounts are more common
	v := opts[g.r.IntN(len(opts))*g.r.IntN(len(opts))/len(opts)]
	if g.r.pct(5) {
		return int64(v)*100 + 50 // 128.50万元 and the like
	}
	return int64(v) * 100
}

func (g *generator) writeEnterprise(e *ent) {
	o := &g.o
	o.begin("enterprise")
	o.str("uscc", e.uscc)
	o.str("name", e.name)
	if len(e.former) > 0 {
		o.strs("former_names", e.former)
	}
	o.str("type", e.ctype)
	o.str("status", string(e.status))
	o.str("legal_representative", e.rep.name)
	o.str("legal_representative_id_type", "居民身份证")
	o.str("legal_representative_id_number", e.rep.id)
	if e.org != orgIndividual || g.r.pct(50) {
		o.amount("registered_capital", g.capital(e))
	}
	o.date("established_on", e.est)
	o.str("registration_authority", e.regAuth.name)
	o.str("address", e.address)
	o.str("business_scope", e.prof.scope)
	o.str("region_code", e.pl.county.code)
	o.key("key_areas")
	o.buf = append(o.buf, '[')
	for k, a := range e.areas {
		if k > 0 {
			o.buf = append(o.buf, ',')
		}
		o.buf = appendJSONString(o.buf, string(a))
	}
	o.buf = append(o.buf, ']')
	o.str("phone", e.phone)
	o.end()
}
