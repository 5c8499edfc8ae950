package gen

import (
	"strconv"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Licences (行政许可), inspections (抽查检查) and commitments (信用承诺).

type licence struct {
	number, name, content string
	auth                  *authority
	decided, validTo      day
	area                  credit.KeyArea
}

func (g *generator) writeLicence(e *ent, l *licence) {
	o := &g.o
	o.begin("license")
	o.str("uscc", e.uscc)
	o.str("license_number", l.number)
	o.str("name", l.name)
	o.opt("content", l.content)
	o.date("valid_from", l.decided)
	o.optDate("valid_to", l.validTo)
	o.str("authority", l.auth.name)
	o.date("decided_on", l.decided)
	o.opt("key_area", string(l.area))
	o.end()
}

// term dates the current grant or renewal of a licence valid for years:
// first granted soon after establishment, renewed every term since. Some
// licences of enterprises no longer operating were not renewed.
func (g *generator) term(e *ent, years int) (decided, validTo day) {
	first := minDay(e.est+day(g.r.between(10, 80)), g.anchor-1)
	d := first
	for {
		n := d.addDate(years, 0, 0)
		if n >= g.anchor {
			break
		}
		d = n
	}
	if e.status != credit.StatusOperating && g.r.pct(60) {
		if p := d.addDate(-years, 0, 0); p >= first && p >= g.start {
			d = p
		}
	}
	return d, d.addDate(years, 0, -1)
}

// a licence series: the authority, document kind and sub-kind that number it.
func (g *generator) serial(a *authority, year, doc, sub, width int) []byte {
	return appendPadded(nil, g.next(a, year, doc, sub), width)
}

func (g *generator) writeLicences(e *ent) {
	r := g.r
	pl := e.pl
	for _, area := range e.areas {
		switch area {
		case credit.AreaFoodProduction:
			g.foodLicence(e, e.food, area, pick(r, []*authority{pl.auth, pl.cityAuth}))
		case credit.AreaSpecialFood:
			g.foodLicence(e, e.special, area, pl.province)
		case credit.AreaSpecialEquipment:
			g.equipmentLicences(e)
		case credit.AreaFoodDistribution:
			g.businessLicence(e, '1', "经营项目：预包装食品（含冷藏冷冻食品）销售；散装食品（含冷藏冷冻食品）销售；特殊食品销售（保健食品）", area)
		case credit.AreaCatering:
			g.businessLicence(e, '2', "经营项目：热食类食品制售；冷食类食品制售；自制饮品制售", area)
		case credit.AreaDrug:
			g.drugLicence(e)
		case credit.AreaMedicalDevice:
			g.deviceLicence(e)
		case credit.AreaCosmetics:
			if e.org == orgCompany {
				d, to := g.term(e, 5)
				num := "闽妆" + string(appendPadded(nil, d.year(), 4)) + string(g.serial(pl.province, d.year(), docCosmetics, 0, 4))
				g.writeLicence(e, &licence{number: num, name: "化妆品生产许可证", content: "生产许可项目：一般液态单元（护发清洁类、护肤水类）；膏霜乳液单元（护肤清洁类）", auth: pl.province, decided: d, validTo: to, area: area})
			}
		case credit.AreaIndustrialProduct:
			d, to := g.term(e, 5)
			line := industrialLines[e.line]
			num := "闽XK" + string(appendPadded(nil, e.line+1, 2)) + "-" + string(g.serial(pl.province, 0, docXK, e.line, 5))
			g.writeLicence(e, &licence{number: num, name: "全国工业产品生产许可证", content: "产品名称：" + line.product, auth: pl.province, decided: d, validTo: to, area: area})
		}
	}
}

// foodLicence: 食品生产许可证 SC + category + division + sequence + check.
func (g *generator) foodLicence(e *ent, cat *foodCategory, area credit.KeyArea, a *authority) {
	d, to := g.term(e, 5)
	b := append(make([]byte, 0, 20), "SC1"...)
	b = append(b, cat.code...)
	b = append(b, e.pl.county.code...)
	b = append(b, g.serial(e.pl.auth, 0, docSC, int(cat.code[0]-'0')*10+int(cat.code[1]-'0'), 4)...)
	b = append(b, luhnDigit(b[2:]))
	content := "食品类别：" + cat.name + "；类别编号：" + cat.code + "01；品种明细：" + strings.Join(cat.products[:min(len(cat.products), 3)], "、")
	g.writeLicence(e, &licence{number: string(b), name: "食品生产许可证", content: content, auth: a, decided: d, validTo: to, area: area})
}

// businessLicence: 食品经营许可证 JY + kind + division + sequence + check.
func (g *generator) businessLicence(e *ent, kind byte, content string, area credit.KeyArea) {
	d, to := g.term(e, 5)
	b := append(make([]byte, 0, 20), 'J', 'Y', kind)
	b = append(b, e.pl.county.code...)
	b = append(b, g.serial(e.pl.auth, 0, docJY, int(kind), 6)...)
	b = append(b, luhnDigit(b[2:]))
	g.writeLicence(e, &licence{number: string(b), name: "食品经营许可证", content: content, auth: e.pl.auth, decided: d, validTo: to, area: area})
}

const equipPrefixes = "梯锅容起车瓶管"

// equipmentLicences: an installer's 特种设备生产许可证, or the use
// registrations (特种设备使用登记证) of a user's equipment, numbered like
// 梯11闽A01234(19).
func (g *generator) equipmentLicences(e *ent) {
	r, pl := g.r, e.pl
	if e.prof.equip == equipInstaller {
		d, to := g.term(e, 4)
		num := "TS3335" + string(g.serial(pl.province, 0, docTS, 0, 3)) + "-" + string(appendPadded(nil, to.year(), 4))
		g.writeLicence(e, &licence{number: num, name: "特种设备生产许可证", content: "许可项目：电梯安装（含修理）；许可子项目：曳引驱动乘客电梯（含消防员电梯）（A2级）", auth: pl.province, decided: d, validTo: to, area: credit.AreaSpecialEquipment})
		return
	}
	kinds := equipKinds[e.prof.equip]
	if len(kinds) == 0 {
		kinds = equipKinds[equipElevator]
	}
	n := r.between(1, 3)
	if e.prof.name == "property" {
		n = r.between(2, 6)
	}
	site := e.address // elevators are where the enterprise is; machines at its works
	if e.prof.equip != equipElevator {
		site = "福建省" + pl.city.name + "市" + pl.county.name + pick(r, towns) + pick(r, []string{"工业园区", "工业区", "经济开发区"}) + strconv.Itoa(r.between(1, 99)) + "号"
	}
	for range n {
		k := pick(r, kinds)
		d := r.dayIn(maxDay(g.start, minDay(e.est+10, g.anchor-1)), g.anchor-1)
		y := d.year()
		a := pick(r, []*authority{pl.auth, pl.cityAuth})
		b := append(make([]byte, 0, 32), k.prefix...)
		b = append(b, "11闽"...)
		b = append(b, pl.city.plate...)
		b = append(b, g.serial(pl.cityAuth, y, docEquip, strings.Index(equipPrefixes, k.prefix), 5)...)
		b = append(b, '(', byte('0'+y/10%10), byte('0'+y%10), ')')
		code := append(make([]byte, 0, 24), k.code...)
		code = append(code, pl.county.code...)
		code = appendPadded(code, y, 4)
		code = appendPadded(code, r.IntN(1_000_000), 6)
		content := "设备类别：" + k.category + "；设备品种：" + k.variety + "；设备代码：" + string(code) + "；使用地点：" + site
		g.writeLicence(e, &licence{number: string(b), name: "特种设备使用登记证", content: content, auth: a, decided: d, area: credit.AreaSpecialEquipment})
	}
}

// drugLicence: 药品经营许可证 like 闽DA5910123.
func (g *generator) drugLicence(e *ent) {
	pl := e.pl
	class, mode, a := "DA", "零售", pl.auth
	if e.org == orgCompany {
		switch x := g.r.IntN(10); {
		case x < 3:
			class, mode, a = "AA", "批发", pl.province
		case x < 6:
			class, mode, a = "CA", "零售（连锁）", pl.cityAuth
		}
	}
	d, to := g.term(e, 5)
	num := "闽" + class + pl.city.areaCode[1:] + string(g.serial(pl.cityAuth, 0, docDrug, int(class[0]), 4))
	g.writeLicence(e, &licence{number: num, name: "药品经营许可证", content: "经营方式：" + mode + "；经营范围：中药饮片、中成药、化学药、生物制品", auth: a, decided: d, validTo: to, area: credit.AreaDrug})
}

// deviceLicence: a 医疗器械经营许可证 (class III) or, for shops, a
// 第二类医疗器械经营备案凭证.
func (g *generator) deviceLicence(e *ent) {
	pl := e.pl
	d, to := g.term(e, 5)
	y := d.year()
	name, word, sub, content := "医疗器械经营许可证", "许", 0, "经营范围：第三类医疗器械：6815注射穿刺器械，6866医用高分子材料及制品，6822医用光学器具、仪器及内窥镜设备"
	if e.org == orgIndividual || g.r.pct(40) {
		name, word, sub, content, to = "第二类医疗器械经营备案凭证", "备", 1, "经营范围：第二类医疗器械：6820普通诊察器械，6864医用卫生材料及敷料，16眼科器械", 0
	}
	num := "闽" + pl.city.abbr + "市监械经营" + word + string(appendPadded(nil, y, 4)) + string(g.serial(pl.cityAuth, y, docDevice, sub, 4)) + "号"
	g.writeLicence(e, &licence{number: num, name: name, content: content, auth: pl.cityAuth, decided: d, validTo: to, area: credit.AreaMedicalDevice})
}

// Inspections.

func (g *generator) inspectionCount(e *ent) int {
	x := g.r.IntN(100)
	if len(e.areas) == 0 {
		switch {
		case x < 45:
			return 0
		case x < 85:
			return 1
		}
		return 2
	}
	switch {
	case x < 10:
		return 0
	case x < 40:
		return 1
	case x < 70:
		return 2
	case x < 90:
		return 3
	}
	return 4
}

func samplable(a credit.KeyArea) bool {
	switch a {
	case credit.AreaFoodProduction, credit.AreaSpecialFood, credit.AreaFoodDistribution, credit.AreaCatering, credit.AreaIndustrialProduct:
		return true
	}
	return false
}

func (g *generator) writeInspections(e *ent) {
	if e.from > g.anchor-1 {
		return
	}
	for range g.inspectionCount(e) {
		g.inspection(e, g.r.dayIn(e.from, g.anchor-1), "")
	}
	// an enterprise listed as unreachable was first not found at its address
	for i := range e.abns {
		if l := &e.abns[i]; l.reasonCode == 4 {
			if d := l.listed - day(g.r.between(20, 60)); d >= e.from {
				g.inspection(e, d, credit.ResultNotFoundAtAddress)
			}
		}
	}
}

func (g *generator) inspection(e *ent, on day, result credit.InspectionResult) {
	r, pl := g.r, e.pl
	area := credit.KeyArea("")
	if len(e.areas) > 0 && r.pct(85) {
		area = pick(r, e.areas)
	}
	kind := credit.InspectionRandomSpotCheck
	switch x := r.IntN(100); {
	case result != "":
	case x < 35 && area != "":
		kind = credit.InspectionSupervisionCheck
	case x < 60 && samplable(area):
		kind = credit.InspectionSampling
	}
	a := pl.auth
	switch x := r.IntN(100); {
	case kind == credit.InspectionSampling && x < 20:
		a = pl.province
	case x < 25:
		a = pl.cityAuth
	}
	var items, product, batch string
	if kind == credit.InspectionSampling {
		items, product, batch, result = g.sampling(e, area, on)
	} else {
		if result == "" {
			switch x := r.IntN(100); {
			case x < 78:
				result = credit.ResultNoIssue
			case x < 90:
				result = credit.ResultIssuesCorrected
			case x < 95:
				result = credit.ResultNonCompliant
			case kind == credit.InspectionRandomSpotCheck:
				result = credit.ResultNotFoundAtAddress
			default:
				result = credit.ResultNoIssue
			}
		}
		if kind == credit.InspectionRandomSpotCheck {
			items = "“双随机、一公开”抽查：" + spotCheckItems[area]
		} else {
			items = "日常监督检查：" + spotCheckItems[area]
		}
	}
	y := on.year()
	prefix, doc := "SJ", docSpotCheck
	switch kind {
	case credit.InspectionSupervisionCheck:
		prefix, doc = "JC", docSupervision
	case credit.InspectionSampling:
		prefix, doc = "DC", docSampling
	}
	id := append(g.scratch[:0], prefix...)
	id = appendPadded(id, y, 4)
	id = append(id, pl.county.code...)
	id = appendPadded(id, g.next(pl.auth, y, doc, 0), 6)
	g.scratch = id

	o := &g.o
	o.begin("inspection")
	o.str("uscc", e.uscc)
	o.str("inspection_id", string(id))
	o.str("inspection_kind", string(kind))
	o.date("inspected_on", on)
	o.str("authority", a.name)
	o.str("result", string(result))
	o.str("items", items)
	o.opt("product", product)
	o.opt("batch", batch)
	o.opt("key_area", string(area))
	o.end()
}

// sampling draws a sampled product, its batch and the test outcome.
func (g *generator) sampling(e *ent, area credit.KeyArea, on day) (items, product, batch string, result credit.InspectionResult) {
	r := g.r
	var tests, fail string
	switch {
	case area == credit.AreaFoodProduction && e.food != nil:
		product, tests, fail = pick(r, e.food.products), e.food.tests, pick(r, e.food.fails)
	case area == credit.AreaSpecialFood && e.special != nil:
		product, tests, fail = pick(r, e.special.products), e.special.tests, pick(r, e.special.fails)
	case area == credit.AreaIndustrialProduct:
		product, tests, fail = industrialLines[e.line].sampling, "标志、外观、结构、主要性能指标", "主要性能指标"
	default:
		s := pick(r, retailSamples)
		product, tests, fail = s.product, s.tests, s.fail
	}
	made := on - day(r.between(3, 90))
	switch r.IntN(4) {
	case 0:
		batch = compactDate(made)
	case 1:
		batch = string(appendISO(nil, made))
	case 2:
		batch = "L" + compactDate(made)[2:] + string(rune('A'+r.IntN(4)))
	default:
		batch = "购进日期：" + string(appendISO(nil, made))
	}
	if r.pct(8) {
		return "不合格项目：" + fail + "；检验结论：不合格", product, batch, credit.ResultNonCompliant
	}
	return "检验项目：" + tests + "；检验结论：合格", product, batch, credit.ResultNoIssue
}

// Commitments.

func (g *generator) writeCommitments(e *ent) {
	r := g.r
	lo, hi := e.from, g.anchor-1
	if lo > hi {
		return
	}
	if len(e.areas) > 0 && r.pct(25) {
		made := r.dayIn(lo, hi)
		status, untrue := credit.CommitmentFulfilled, day(0)
		switch {
		case made > g.anchor-90:
			status = credit.CommitmentInForce
		case r.pct(8):
			status, untrue = credit.CommitmentUntrue, minDay(made+day(r.between(30, 300)), g.anchor-1)
		}
		text := pick(r, notificationCommitments)
		if e.food != nil && r.pct(50) {
			text = foodLicenceCommitment
		}
		g.writeCommitment(e, true, text, made, status, untrue)
	}
	if r.pct(8) {
		status := credit.CommitmentInForce
		if r.pct(20) {
			status = credit.CommitmentFulfilled
		}
		text := voluntaryCommitments[""]
		if len(e.areas) > 0 {
			if t, ok := voluntaryCommitments[pick(r, e.areas)]; ok {
				text = t
			}
		}
		g.writeCommitment(e, false, text, r.dayIn(lo, hi), status, 0)
	}
}

func (g *generator) writeCommitment(e *ent, notification bool, content string, made day, status credit.CommitmentStatus, untrue day) {
	y := made.year()
	id := append(g.scratch[:0], "CN"...)
	id = append(id, e.pl.county.code...)
	id = appendPadded(id, y, 4)
	id = appendPadded(id, g.next(e.pl.auth, y, docCommitment, 0), 6)
	g.scratch = id
	kind := credit.CommitmentVoluntary
	if notification {
		kind = credit.CommitmentNotification
	}
	o := &g.o
	o.begin("commitment")
	o.str("uscc", e.uscc)
	o.str("commitment_id", string(id))
	o.str("commitment_kind", string(kind))
	o.str("content", content)
	o.date("made_on", made)
	o.str("status", string(status))
	o.optDate("untrue_found_on", untrue)
	o.end()
}
