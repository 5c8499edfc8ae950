package gen

import "github.com/creditgraph/creditgraph/internal/credit"

// violation is a kind of offence: the violation type, its legal basis, a
// facts template and the usual fine range. Facts templates take, by index:
// 1 the date, 2 the product, 3 the goods value, 4 the illegal income.
type violation struct {
	area   credit.KeyArea // "" for offences outside the key areas
	name   string
	basis  string
	facts  string
	fine   [2]int64 // yuan
	heavy  bool     // may ground a serious listing (严重违法失信)
	ground string   // serious-list ground, when heavy
}

const (
	foodLaw      = "《中华人民共和国食品安全法》"
	equipLaw     = "《中华人民共和国特种设备安全法》"
	drugLaw      = "《中华人民共和国药品管理法》"
	deviceRule   = "《医疗器械监督管理条例》"
	cosmeticRule = "《化妆品监督管理条例》"
	qualityLaw   = "《中华人民共和国产品质量法》"
	seriousRule  = "《市场监督管理严重违法失信名单管理办法》"
)

var violations = []violation{
	// food production
	{area: credit.AreaFoodProduction, name: "生产不符合食品安全标准的食品", basis: foodLaw + "第一百二十四条第一款第（四）项",
		facts: "经查，当事人于%[1]s生产的%[2]s经抽样检验，%[2]s不符合食品安全国家标准，检验结论为不合格。当事人生产的该批次产品货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{50000, 300000}, heavy: true, ground: "生产不符合食品安全标准的食品，受到较重行政处罚，属于" + seriousRule + "第五条第（四）项规定的情形"},
	{area: credit.AreaFoodProduction, name: "超出许可范围从事食品生产活动", basis: foodLaw + "第一百二十二条第一款",
		facts: "经查，当事人自%[1]s起在未经许可的另一生产场所生产%[2]s并对外销售，超出其食品生产许可证载明的生产地址，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{50000, 200000}, heavy: true, ground: "未依法取得食品生产许可从事食品生产活动，受到较重行政处罚，属于" + seriousRule + "第五条第（一）项规定的情形"},
	{area: credit.AreaFoodProduction, name: "生产标签不符合规定的食品", basis: foodLaw + "第一百二十五条第一款第（二）项",
		facts: "经查，当事人于%[1]s生产的%[2]s，其标签未标注生产日期、配料表中食品添加剂未按规定标示，货值金额%[3]s元。",
		fine:  [2]int64{5000, 50000}},
	{area: credit.AreaFoodProduction, name: "未按规定建立并遵守出厂检验记录制度", basis: foodLaw + "第一百二十六条第一款第（三）项",
		facts: "%[1]s，执法人员对当事人生产场所进行检查，发现当事人生产的%[2]s未按规定进行出厂检验，亦未留存检验记录。"},
	{area: credit.AreaFoodProduction, name: "使用超过保质期的食品原料生产食品", basis: foodLaw + "第一百二十四条第一款第（五）项",
		facts: "%[1]s，执法人员在当事人原料仓库内发现已超过保质期的食品原料，当事人将其用于生产%[2]s，货值金额%[3]s元。",
		fine:  [2]int64{50000, 150000}, heavy: true, ground: "用超过保质期的食品原料生产食品，受到较重行政处罚，属于" + seriousRule + "第五条第（四）项规定的情形"},

	// special foods
	{area: credit.AreaSpecialFood, name: "生产经营未按规定注册的保健食品", basis: foodLaw + "第一百二十四条第一款第（九）项",
		facts: "经查，当事人于%[1]s起生产、销售未取得保健食品注册证书的“%[2]s”，并在标签上标示保健功能，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{100000, 500000}, heavy: true, ground: "生产经营未按规定注册的保健食品，受到较重行政处罚，属于" + seriousRule + "第五条第（五）项规定的情形"},
	{area: credit.AreaSpecialFood, name: "生产不符合食品安全标准的婴幼儿配方食品", basis: foodLaw + "第一百二十四条第一款第（一）项",
		facts: "经查，当事人于%[1]s生产的%[2]s经国家食品安全监督抽检，营养成分含量不符合食品安全国家标准，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{200000, 1000000}, heavy: true, ground: "生产不符合食品安全标准的婴幼儿配方食品，受到较重行政处罚，属于" + seriousRule + "第五条第（三）项规定的情形"},
	{area: credit.AreaSpecialFood, name: "特殊食品标签、说明书含有虚假内容或涉及疾病预防、治疗功能", basis: foodLaw + "第一百二十五条第一款第（二）项",
		facts: "经查，当事人生产的“%[2]s”在外包装及说明书中标注“增强免疫力、预防疾病”等内容，与注册或者备案的内容不一致，于%[1]s被执法人员发现，货值金额%[3]s元。",
		fine:  [2]int64{20000, 100000}},

	// special equipment
	{area: credit.AreaSpecialEquipment, name: "使用未经定期检验的特种设备", basis: equipLaw + "第八十四条第（一）项",
		facts: "%[1]s，执法人员对当事人使用的%[2]s进行检查，发现该设备定期检验有效期已届满，当事人未按规定申报定期检验仍继续使用。",
		fine:  [2]int64{30000, 300000}, heavy: true, ground: "使用未经检验的特种设备，受到较重行政处罚，属于" + seriousRule + "第七条第（二）项规定的情形"},
	{area: credit.AreaSpecialEquipment, name: "特种设备未办理使用登记即投入使用", basis: equipLaw + "第八十三条第（一）项",
		facts: "%[1]s，执法人员检查发现，当事人使用的%[2]s未向特种设备安全监督管理部门办理使用登记，经责令限期改正，逾期仍未改正。",
		fine:  [2]int64{10000, 100000}},
	{area: credit.AreaSpecialEquipment, name: "特种设备作业人员未取得相应资格从事作业", basis: equipLaw + "第八十六条第（一）项",
		facts: "%[1]s，执法人员现场检查时发现，当事人安排未取得特种设备作业人员证的员工操作%[2]s。",
		fine:  [2]int64{10000, 50000}},
	{area: credit.AreaSpecialEquipment, name: "使用国家明令淘汰、已经报废的特种设备", basis: equipLaw + "第八十四条第（一）项",
		facts: "%[1]s，执法人员检查发现，当事人继续使用已达到报废条件的%[2]s，未采取有效安全措施。",
		fine:  [2]int64{30000, 300000}, heavy: true, ground: "使用国家明令淘汰、已经报废的特种设备，受到较重行政处罚，属于" + seriousRule + "第七条第（二）项规定的情形"},

	// catering
	{area: credit.AreaCatering, name: "经营腐败变质、混有异物的食品", basis: foodLaw + "第一百二十四条第一款第（四）项",
		facts: "%[1]s，执法人员对当事人经营场所进行检查，发现当事人用于加工%[2]s的食材已腐败变质，货值金额%[3]s元。",
		fine:  [2]int64{50000, 100000}},
	{area: credit.AreaCatering, name: "餐具、饮具未按规定清洗消毒", basis: foodLaw + "第一百二十六条第一款第（五）项",
		facts: "%[1]s，执法人员抽检当事人使用的复用餐饮具，大肠菌群项目不符合食品安全国家标准。"},
	{area: credit.AreaCatering, name: "安排未取得健康证明的人员从事接触直接入口食品的工作", basis: foodLaw + "第一百二十六条第一款第（六）项",
		facts: "%[1]s，执法人员检查发现当事人后厨从业人员未取得有效健康证明即从事接触直接入口食品的工作。",
		fine:  [2]int64{5000, 50000}},
	{area: credit.AreaCatering, name: "在餐饮服务中使用非食品原料", basis: foodLaw + "第一百二十三条第一款第（一）项",
		facts: "经查，当事人于%[1]s起在加工%[2]s过程中添加非食品原料，违法所得%[4]s元。",
		fine:  [2]int64{100000, 300000}, heavy: true, ground: "用非食品原料生产经营食品，受到较重行政处罚，属于" + seriousRule + "第五条第（二）项规定的情形"},

	// food distribution
	{area: credit.AreaFoodDistribution, name: "经营超过保质期的食品", basis: foodLaw + "第一百二十四条第一款第（五）项",
		facts: "%[1]s，执法人员在当事人经营场所货架上发现超过保质期的%[2]s，货值金额%[3]s元。",
		fine:  [2]int64{50000, 100000}},
	{area: credit.AreaFoodDistribution, name: "经营标签不符合规定的预包装食品", basis: foodLaw + "第一百二十五条第一款第（二）项",
		facts: "%[1]s，执法人员检查发现当事人销售的进口%[2]s无中文标签，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{5000, 50000}},
	{area: credit.AreaFoodDistribution, name: "未按规定查验供货者许可证和食品合格证明文件", basis: foodLaw + "第一百二十六条第一款第（三）项",
		facts: "%[1]s，执法人员检查发现当事人购进%[2]s时未查验供货者的许可证和产品合格证明文件，也未建立进货查验记录。"},
	{area: credit.AreaFoodDistribution, name: "销售检验不合格的食用农产品", basis: "《食用农产品市场销售质量安全监督管理办法》第四十九条",
		facts: "经查，当事人于%[1]s销售的%[2]s经监督抽检，农药残留项目不符合食品安全国家标准，货值金额%[3]s元。",
		fine:  [2]int64{5000, 50000}},

	// drugs
	{area: credit.AreaDrug, name: "销售劣药", basis: drugLaw + "第一百一十七条第一款",
		facts: "经查，当事人于%[1]s购进并销售的“%[2]s”经检验为劣药，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{100000, 500000}, heavy: true, ground: "销售劣药，受到较重行政处罚，属于" + seriousRule + "第六条第（二）项规定的情形"},
	{area: credit.AreaDrug, name: "未凭处方销售处方药", basis: drugLaw + "第一百二十六条",
		facts: "%[1]s，执法人员检查发现当事人在执业药师不在岗的情况下，未凭处方销售处方药“%[2]s”。",
		fine:  [2]int64{10000, 100000}},
	{area: credit.AreaDrug, name: "未遵守药品经营质量管理规范", basis: drugLaw + "第一百二十六条",
		facts: "%[1]s，执法人员检查发现当事人冷藏药品未按规定温度储存，且未按规定记录温湿度。",
		fine:  [2]int64{10000, 100000}},

	// medical devices
	{area: credit.AreaMedicalDevice, name: "经营未取得医疗器械注册证的第二类、第三类医疗器械", basis: deviceRule + "第八十四条第一款第（一）项",
		facts: "经查，当事人于%[1]s购进并销售未取得医疗器械注册证的“%[2]s”，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{50000, 300000}, heavy: true, ground: "经营未取得医疗器械注册证的医疗器械，受到较重行政处罚，属于" + seriousRule + "第六条第（三）项规定的情形"},
	{area: credit.AreaMedicalDevice, name: "未按规定建立并执行医疗器械进货查验记录制度", basis: deviceRule + "第八十九条第（三）项",
		facts: "%[1]s，执法人员检查发现当事人购进%[2]s时未查验供货者资质，未建立进货查验记录。",
		fine:  [2]int64{10000, 50000}},

	// cosmetics
	{area: credit.AreaCosmetics, name: "经营标签不符合规定的化妆品", basis: cosmeticRule + "第六十一条第一款第（五）项",
		facts: "%[1]s，执法人员检查发现当事人销售的“%[2]s”无中文标签，货值金额%[3]s元。",
		fine:  [2]int64{10000, 50000}},
	{area: credit.AreaCosmetics, name: "使用禁止用于化妆品生产的原料生产化妆品", basis: cosmeticRule + "第五十九条第一款第（三）项",
		facts: "经查，当事人于%[1]s生产的“%[2]s”经检验检出禁用原料，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{100000, 500000}, heavy: true, ground: "使用禁用原料生产化妆品，受到较重行政处罚，属于" + seriousRule + "第六条第（四）项规定的情形"},

	// industrial products
	{area: credit.AreaIndustrialProduct, name: "生产不符合保障人体健康和人身、财产安全的国家标准的产品", basis: qualityLaw + "第四十九条",
		facts: "经查，当事人于%[1]s生产的%[2]s经产品质量监督抽查，检验结论为不合格，货值金额%[3]s元，违法所得%[4]s元。",
		fine:  [2]int64{20000, 200000}, heavy: true, ground: "生产不符合保障人体健康和人身、财产安全的国家标准的产品，受到较重行政处罚，属于" + seriousRule + "第七条第（一）项规定的情形"},
	{area: credit.AreaIndustrialProduct, name: "在产品中以次充好", basis: qualityLaw + "第五十条",
		facts: "经查，当事人于%[1]s生产的%[2]s导体电阻不合格，以不合格产品冒充合格产品销售，货值金额%[3]s元。",
		fine:  [2]int64{20000, 100000}},
	{area: credit.AreaIndustrialProduct, name: "未取得生产许可证生产列入目录的产品", basis: "《中华人民共和国工业产品生产许可证管理条例》第四十五条",
		facts: "经查，当事人在生产许可证有效期届满后，于%[1]s继续生产%[2]s，货值金额%[3]s元。",
		fine:  [2]int64{30000, 150000}},

	// outside the key areas
	{name: "发布虚假广告", basis: "《中华人民共和国广告法》第五十五条第一款",
		facts: "经查，当事人自%[1]s起在其微信公众号发布广告，宣称产品“全网销量第一”“零风险”，内容与实际不符。",
		fine:  [2]int64{20000, 200000}},
	{name: "对商品作虚假或者引人误解的商业宣传", basis: "《中华人民共和国反不正当竞争法》第二十条第一款",
		facts: "经查，当事人自%[1]s起在网店页面宣传其销售的%[2]s获得多项荣誉，经核实均无事实依据，违法所得%[4]s元。",
		fine:  [2]int64{20000, 200000}},
	{name: "不按规定明码标价", basis: "《明码标价和禁止价格欺诈规定》第二十一条",
		facts: "%[1]s，执法人员检查发现当事人经营场所内的%[2]s未按规定标明价格。",
		fine:  [2]int64{1000, 5000}},
	{name: "销售侵犯注册商标专用权的商品", basis: "《中华人民共和国商标法》第六十条第二款",
		facts: "%[1]s，执法人员在当事人经营场所查获侵犯他人注册商标专用权的%[2]s共计120件，货值金额%[3]s元。",
		fine:  [2]int64{10000, 100000}},
	{name: "使用未经检定的计量器具", basis: "《中华人民共和国计量法实施细则》第四十三条",
		facts: "%[1]s，执法人员检查发现当事人用于贸易结算的电子计价秤未按规定申请周期检定。",
		fine:  [2]int64{500, 1000}},
}

// abnormalReasons are the grounds for the abnormal operations list, by
// reason code, with the usual removal reason.
var abnormalReasons = [5]struct{ listing, removal string }{
	1: {"未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告", "已补报未报年份的年度报告并公示"},
	2: {"未在市场监督管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息", "已依照责令期限公示有关企业信息"},
	3: {"公示企业信息隐瞒真实情况、弄虚作假", "已更正其公示的企业信息"},
	4: {"通过登记的住所或者经营场所无法联系", "依法办理住所或者经营场所变更登记，已能够取得联系"},
}

// individual businesses are "marked abnormal" (标记为经营异常状态).
var individualAbnormal = [5]string{
	1: "未按照规定报送年度报告",
	4: "通过登记的经营场所或者经营者住所无法联系",
}

const abnormalGround = "被列入经营异常名录届满3年仍未履行相关义务，属于" + seriousRule + "第十三条规定的情形"

// Inspection items (检查事项) for checks other than sampling.
var spotCheckItems = map[credit.KeyArea]string{
	"":                           "企业公示信息情况检查；登记事项检查",
	credit.AreaFoodProduction:    "食品生产者生产条件保持情况检查；食品生产者执行食品安全标准情况检查；企业公示信息情况检查",
	credit.AreaSpecialFood:       "特殊食品生产企业生产条件保持情况检查；按注册或备案的产品配方、生产工艺组织生产情况检查",
	credit.AreaSpecialEquipment:  "特种设备使用单位使用登记、定期检验情况检查；特种设备作业人员持证情况检查",
	credit.AreaFoodDistribution:  "食品销售者进货查验记录情况检查；食品贮存条件检查；企业公示信息情况检查",
	credit.AreaCatering:          "餐饮服务提供者许可条件保持情况检查；原料控制、加工制作过程检查；餐饮具清洗消毒情况检查",
	credit.AreaDrug:              "药品经营企业遵守药品经营质量管理规范情况检查；处方药销售情况检查",
	credit.AreaMedicalDevice:     "医疗器械经营企业经营条件和经营活动检查；进货查验记录情况检查",
	credit.AreaCosmetics:         "化妆品生产经营者质量安全管理情况检查；化妆品标签检查",
	credit.AreaIndustrialProduct: "工业产品生产许可证获证企业检查；产品质量监督检查",
}
