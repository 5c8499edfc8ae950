package gen

import "github.com/creditgraph/creditgraph/internal/credit"

// Industry profiles: what an enterprise does decides its name, business
// scope, key areas and so its licences, checks and possible violations.

type orgKind uint8

const (
	orgCompany orgKind = iota
	orgIndividual
	orgCooperative
)

// USCC second character for each organisation kind.
var orgTypeChar = [...]byte{orgCompany: '1', orgIndividual: '2', orgCooperative: '3'}

type equipUse uint8

const (
	equipNone      equipUse = iota
	equipElevator           // elevators and escalators
	equipFactory            // boilers, pressure vessels, cranes, forklifts
	equipLogistics          // forklifts and cranes
	equipGas                // gas cylinders and pressure vessels
	equipInstaller          // installs and maintains elevators: holds a TS production licence
)

type profile struct {
	name     string
	weight   int
	org      orgKind
	areas    []credit.KeyArea
	extra    credit.KeyArea // a second key area some of them have
	extraPct int
	equip    equipUse // which special equipment, when special_equipment is one of its areas
	words    []string // name words: industry (companies) or shop kind (individuals)
	scope    string
	capital  [2]int // registered capital range, 万元
}

const scopeTail = "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"

var profiles = []profile{
	// companies
	{name: "food_factory", weight: 14, org: orgCompany, areas: []credit.KeyArea{credit.AreaFoodProduction}, extra: credit.AreaSpecialEquipment, extraPct: 45, equip: equipFactory,
		scope: "许可项目：食品生产；食品销售；食品互联网销售。" + scopeTail + "一般项目：食品进出口；农副产品销售；初级农产品收购；技术服务、技术开发、技术咨询。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）", capital: [2]int{50, 5000}},
	{name: "special_food", weight: 3, org: orgCompany, areas: []credit.KeyArea{credit.AreaSpecialFood}, extra: credit.AreaSpecialEquipment, extraPct: 35, equip: equipFactory,
		scope: "许可项目：保健食品生产；婴幼儿配方食品生产；特殊医学用途配方食品生产；食品销售。" + scopeTail + "一般项目：保健食品（预包装）销售；婴幼儿配方乳粉及其他婴幼儿配方食品销售；生物技术推广服务。", capital: [2]int{500, 20000}},
	{name: "elevator", weight: 2, org: orgCompany, areas: []credit.KeyArea{credit.AreaSpecialEquipment}, equip: equipInstaller,
		words: []string{"电梯工程", "电梯", "机电设备安装", "电梯服务"},
		scope: "许可项目：特种设备安装改造修理；建设工程施工。" + scopeTail + "一般项目：特种设备销售；电梯销售；普通机械设备安装服务；五金产品零售。", capital: [2]int{100, 3000}},
	{name: "property", weight: 5, org: orgCompany, areas: []credit.KeyArea{credit.AreaSpecialEquipment}, equip: equipElevator,
		words: []string{"物业管理", "物业服务", "置业", "商业管理"},
		scope: "一般项目：物业管理；停车场服务；家政服务；园林绿化工程施工；非居住房地产租赁。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）", capital: [2]int{50, 2000}},
	{name: "hotel", weight: 3, org: orgCompany, areas: []credit.KeyArea{credit.AreaCatering, credit.AreaSpecialEquipment}, equip: equipElevator,
		words: []string{"酒店管理", "大酒店", "宾馆", "酒店"},
		scope: "许可项目：住宿服务；餐饮服务；食品销售。" + scopeTail + "一般项目：酒店管理；会议及展览服务；停车场服务。", capital: [2]int{100, 5000}},
	{name: "supermarket", weight: 5, org: orgCompany, areas: []credit.KeyArea{credit.AreaFoodDistribution}, extra: credit.AreaSpecialEquipment, extraPct: 40, equip: equipElevator,
		words: []string{"超市", "商贸", "百货", "便利店", "生鲜超市"},
		scope: "许可项目：食品销售；酒类经营；烟草制品零售。" + scopeTail + "一般项目：日用百货销售；新鲜水果零售；新鲜蔬菜零售；鲜肉零售；水产品零售；食用农产品零售。", capital: [2]int{50, 3000}},
	{name: "catering", weight: 6, org: orgCompany, areas: []credit.KeyArea{credit.AreaCatering},
		words: []string{"餐饮管理", "餐饮服务", "餐饮", "配餐服务", "餐饮连锁"},
		scope: "许可项目：餐饮服务；食品销售；小餐饮。" + scopeTail + "一般项目：餐饮管理；外卖递送服务；食用农产品零售。", capital: [2]int{10, 1000}},
	{name: "food_trade", weight: 7, org: orgCompany, areas: []credit.KeyArea{credit.AreaFoodDistribution},
		words: []string{"食品贸易", "商贸", "进出口贸易", "供应链管理", "食品"},
		scope: "许可项目：食品销售；酒类经营。" + scopeTail + "一般项目：食品进出口；农副产品销售；国内贸易代理；供应链管理服务。", capital: [2]int{10, 2000}},
	{name: "pharmacy", weight: 3, org: orgCompany, areas: []credit.KeyArea{credit.AreaDrug}, extra: credit.AreaMedicalDevice, extraPct: 60,
		words: []string{"大药房", "医药", "药业连锁", "医药连锁"},
		scope: "许可项目：药品零售；药品批发；第三类医疗器械经营。" + scopeTail + "一般项目：第一类医疗器械销售；第二类医疗器械销售；保健食品（预包装）销售；消毒剂销售（不含危险化学品）。", capital: [2]int{50, 5000}},
	{name: "med_device", weight: 2, org: orgCompany, areas: []credit.KeyArea{credit.AreaMedicalDevice},
		words: []string{"医疗器械", "医疗科技", "医疗设备"},
		scope: "许可项目：第三类医疗器械经营；第二类医疗器械生产。" + scopeTail + "一般项目：第一类医疗器械销售；第二类医疗器械销售；医护人员防护用品批发。", capital: [2]int{100, 3000}},
	{name: "cosmetics", weight: 2, org: orgCompany, areas: []credit.KeyArea{credit.AreaCosmetics},
		words: []string{"化妆品", "日用化学品", "生物科技", "美妆"},
		scope: "许可项目：化妆品生产。" + scopeTail + "一般项目：化妆品批发；化妆品零售；个人卫生用品销售；日用化学产品制造。", capital: [2]int{100, 3000}},
	{name: "industrial", weight: 7, org: orgCompany, areas: []credit.KeyArea{credit.AreaIndustrialProduct}, extra: credit.AreaSpecialEquipment, extraPct: 50, equip: equipFactory,
		scope: "许可项目：工业产品生产（许可类）；道路货物运输（不含危险货物）。" + scopeTail + "一般项目：产品质量检验；货物进出口；技术进出口。", capital: [2]int{100, 8000}},
	{name: "logistics", weight: 3, org: orgCompany, areas: []credit.KeyArea{credit.AreaSpecialEquipment}, equip: equipLogistics,
		words: []string{"物流", "仓储", "供应链", "冷链物流"},
		scope: "许可项目：道路货物运输（不含危险货物）。" + scopeTail + "一般项目：普通货物仓储服务；装卸搬运；国内货物运输代理；低温仓储。", capital: [2]int{50, 3000}},
	{name: "gas", weight: 1, org: orgCompany, areas: []credit.KeyArea{credit.AreaSpecialEquipment}, equip: equipGas,
		words: []string{"燃气", "气体", "液化气"},
		scope: "许可项目：燃气经营；移动式压力容器/气瓶充装；危险化学品经营。" + scopeTail + "一般项目：燃气器具销售；特种设备销售。", capital: [2]int{200, 5000}},
	{name: "trade", weight: 8, org: orgCompany,
		words: []string{"贸易", "商贸", "进出口", "实业", "商贸发展"},
		scope: "一般项目：五金产品批发；建筑材料销售；日用百货销售；电子产品销售；货物进出口；技术进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）", capital: [2]int{10, 2000}},
	{name: "tech", weight: 6, org: orgCompany,
		words: []string{"信息技术", "网络科技", "科技", "电子商务", "软件"},
		scope: "一般项目：软件开发；信息系统集成服务；信息技术咨询服务；网络技术服务；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）", capital: [2]int{10, 1000}},
	{name: "construction", weight: 4, org: orgCompany, extra: credit.AreaSpecialEquipment, extraPct: 25, equip: equipLogistics,
		words: []string{"建筑工程", "装饰工程", "建设工程", "市政工程"},
		scope: "许可项目：建设工程施工；住宅室内装饰装修。" + scopeTail + "一般项目：园林绿化工程施工；建筑材料销售；机械设备租赁。", capital: [2]int{100, 10000}},
	{name: "services", weight: 4, org: orgCompany,
		words: []string{"企业管理咨询", "文化传媒", "广告", "教育咨询", "人力资源"},
		scope: "一般项目：企业管理咨询；广告设计、代理；组织文化艺术交流活动；会议及展览服务；市场营销策划。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）", capital: [2]int{10, 500}},
	{name: "apparel", weight: 3, org: orgCompany,
		words: []string{"鞋业", "服装", "纺织", "体育用品", "服饰"},
		scope: "一般项目：鞋制造；服装制造；针纺织品及原料销售；服装服饰批发；货物进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）", capital: [2]int{50, 5000}},

	// individual businesses (个体工商户)
	{name: "snack", weight: 30, org: orgIndividual, areas: []credit.KeyArea{credit.AreaCatering},
		words: []string{"小吃店", "面馆", "快餐店", "饭店", "餐馆", "奶茶店", "烧烤店", "大排档", "卤味店", "早餐店", "甜品店", "海鲜排档"},
		scope: "许可项目：小餐饮。" + scopeTail, capital: [2]int{1, 30}},
	{name: "grocery", weight: 25, org: orgIndividual, areas: []credit.KeyArea{credit.AreaFoodDistribution},
		words: []string{"食杂店", "便利店", "水果店", "副食店", "粮油店", "茶叶店", "生鲜店", "冻品店", "烟酒商行"},
		scope: "许可项目：食品销售；烟草制品零售。" + scopeTail + "一般项目：日用百货销售；新鲜水果零售；食用农产品零售。", capital: [2]int{1, 50}},
	{name: "workshop", weight: 4, org: orgIndividual, areas: []credit.KeyArea{credit.AreaFoodProduction}, // named after its food category
		scope: "许可项目：食品生产；食品小作坊经营。" + scopeTail, capital: [2]int{3, 100}},
	{name: "drugstore", weight: 3, org: orgIndividual, areas: []credit.KeyArea{credit.AreaDrug},
		words: []string{"药店", "大药房", "诊所药房"},
		scope: "许可项目：药品零售。" + scopeTail + "一般项目：第一类医疗器械销售；第二类医疗器械销售。", capital: [2]int{5, 100}},
	{name: "beauty", weight: 4, org: orgIndividual, areas: []credit.KeyArea{credit.AreaCosmetics},
		words: []string{"化妆品店", "美容店", "美妆店"},
		scope: "一般项目：化妆品零售；美容服务；个人卫生用品销售。", capital: [2]int{1, 30}},
	{name: "optical", weight: 2, org: orgIndividual, areas: []credit.KeyArea{credit.AreaMedicalDevice},
		words: []string{"眼镜店", "眼镜行", "视光中心"},
		scope: "一般项目：眼镜销售（不含隐形眼镜）；第二类医疗器械销售。", capital: [2]int{2, 50}},
	{name: "retail", weight: 15, org: orgIndividual,
		words: []string{"服装店", "五金店", "理发店", "日用品店", "手机店", "建材店", "汽车修理店", "家电维修部", "文具店", "鞋店"},
		scope: "一般项目：日用百货销售；五金产品零售；服装服饰零售；家用电器销售；日用电器修理。", capital: [2]int{1, 30}},

	// farmers' cooperatives
	{name: "tea_coop", weight: 4, org: orgCooperative, areas: []credit.KeyArea{credit.AreaFoodProduction},
		words: []string{"茶叶专业合作社", "茶业专业合作社", "生态茶叶专业合作社"},
		scope: "许可项目：茶叶制品生产；食品销售。" + scopeTail + "一般项目：茶叶种植；初级农产品收购；组织收购、销售成员种植的产品；为成员提供农业技术服务。", capital: [2]int{10, 500}},
	{name: "farm_coop", weight: 6, org: orgCooperative,
		words: []string{"果蔬专业合作社", "种植专业合作社", "养殖专业合作社", "水产养殖专业合作社", "食用菌专业合作社"},
		scope: "一般项目：蔬菜种植；水果种植；食用农产品初加工；组织收购、销售成员种植的产品；为成员提供农业技术服务。", capital: [2]int{10, 300}},
}

// industrialLines are what industrial-product licence holders make, with
// the product unit (产品单元) of their 全国工业产品生产许可证.
var industrialLines = []struct{ word, product, sampling string }{
	{"电线电缆", "电线电缆：建筑用绝缘电线", "聚氯乙烯绝缘电线"},
	{"水泥", "水泥：通用硅酸盐水泥", "普通硅酸盐水泥"},
	{"包装材料", "食品相关产品：塑料包装容器工具等制品", "食品用塑料包装袋"},
	{"纸业", "食品相关产品：纸包装容器等制品", "食品用纸杯"},
	{"建材", "建筑用钢筋：热轧带肋钢筋", "热轧带肋钢筋"},
	{"化工", "危险化学品：涂料", "水性涂料"},
	{"电器", "电热水器：储水式电热水器", "储水式电热水器"},
	{"日化", "食品相关产品：餐具洗涤剂", "餐具洗涤剂"},
	{"安全帽", "特种劳动防护用品：安全帽", "安全帽"},
}

// foodCategory is a food category of the 食品生产许可分类目录.
type foodCategory struct {
	code     string // two-digit category number
	name     string
	words    []string // name words for producers
	products []string // sampled products
	tests    string   // usual test items
	fails    []string // items that fail
	workshop string   // what an individual producer of it is called
}

var foodCategories = []foodCategory{
	{"01", "粮食加工品", []string{"米业", "粮油", "米粉", "食品"}, []string{"兴化米粉", "大米", "福州线面", "挂面"}, "铅（以Pb计）、镉（以Cd计）、黄曲霉毒素B₁、苯并[a]芘", []string{"镉（以Cd计）", "黄曲霉毒素B₁"}, "米粉加工厂"},
	{"03", "调味品", []string{"调味食品", "酿造", "食品", "酱油"}, []string{"酱油", "鱼露", "沙茶酱", "食醋"}, "氨基酸态氮、苯甲酸及其钠盐、山梨酸及其钾盐、菌落总数", []string{"氨基酸态氮", "苯甲酸及其钠盐"}, "酱料坊"},
	{"04", "肉制品", []string{"肉制品", "食品", "肉松"}, []string{"肉松", "香肠", "卤鸭", "肉脯"}, "亚硝酸盐、苯甲酸及其钠盐、菌落总数、大肠菌群", []string{"亚硝酸盐", "菌落总数"}, "肉松加工坊"},
	{"06", "饮料", []string{"饮品", "饮料", "食品", "矿泉水"}, []string{"包装饮用水", "茶饮料", "果汁饮料"}, "溴酸盐、铜绿假单胞菌、菌落总数、余氯", []string{"铜绿假单胞菌", "溴酸盐"}, "桶装水厂"},
	{"08", "饼干", []string{"食品", "饼业"}, []string{"苏打饼干", "夹心饼干"}, "酸价（以脂肪计）、过氧化值（以脂肪计）、铝的残留量", []string{"过氧化值（以脂肪计）"}, "饼干加工坊"},
	{"09", "罐头", []string{"罐头食品", "食品", "果业"}, []string{"黄桃罐头", "芦笋罐头", "蘑菇罐头"}, "商业无菌、苯甲酸及其钠盐、甜蜜素", []string{"商业无菌", "甜蜜素"}, "罐头加工厂"},
	{"11", "速冻食品", []string{"食品", "冷冻食品", "鱼丸"}, []string{"速冻鱼丸", "速冻水饺", "速冻汤圆"}, "过氧化值（以脂肪计）、铅（以Pb计）、挥发性盐基氮", []string{"过氧化值（以脂肪计）"}, "鱼丸加工厂"},
	{"13", "糖果制品", []string{"食品", "糖果"}, []string{"硬质糖果", "凝胶糖果"}, "铅（以Pb计）、糖精钠、菌落总数", []string{"糖精钠"}, "糖果加工坊"},
	{"14", "茶叶及相关制品", []string{"茶业", "茶叶", "茶厂", "岩茶"}, []string{"铁观音", "大红袍", "白茶", "茉莉花茶", "金骏眉"}, "铅（以Pb计）、草甘膦、吡虫啉、联苯菊酯、氰戊菊酯和S-氰戊菊酯", []string{"氰戊菊酯和S-氰戊菊酯", "联苯菊酯", "草甘膦"}, "茶叶加工厂"},
	{"15", "酒类", []string{"酒业", "酿酒", "酒厂"}, []string{"黄酒", "红曲酒", "白酒"}, "酒精度、甲醇、氰化物、甜蜜素", []string{"酒精度", "甜蜜素"}, "酒坊"},
	{"16", "蔬菜制品", []string{"食品", "笋业", "农产品"}, []string{"笋干", "酱腌菜", "食用菌干制品"}, "二氧化硫残留量、苯甲酸及其钠盐、亚硝酸盐", []string{"二氧化硫残留量"}, "笋干加工厂"},
	{"17", "水果制品", []string{"食品", "蜜饯", "果业"}, []string{"蜜饯", "芒果干", "话梅"}, "二氧化硫残留量、苯甲酸及其钠盐、糖精钠、甜蜜素", []string{"糖精钠", "二氧化硫残留量"}, "蜜饯加工厂"},
	{"18", "炒货食品及坚果制品", []string{"食品", "炒货"}, []string{"花生", "瓜子"}, "酸价（以脂肪计）、过氧化值（以脂肪计）、黄曲霉毒素B₁", []string{"过氧化值（以脂肪计）"}, "炒货加工坊"},
	{"22", "水产制品", []string{"水产食品", "海产品", "食品"}, []string{"紫菜", "鱿鱼丝", "虾皮", "鱼干"}, "铅（以Pb计）、镉（以Cd计）、N-二甲基亚硝胺、苯甲酸及其钠盐", []string{"镉（以Cd计）", "N-二甲基亚硝胺"}, "海产品加工厂"},
	{"24", "糕点", []string{"食品", "饼业", "糕点"}, []string{"月饼", "绿豆饼", "馅饼", "蛋糕", "光饼"}, "酸价（以脂肪计）、过氧化值（以脂肪计）、菌落总数、霉菌、脱氢乙酸及其钠盐", []string{"菌落总数", "霉菌", "脱氢乙酸及其钠盐"}, "糕点坊"},
	{"25", "豆制品", []string{"食品", "豆制品"}, []string{"豆腐干", "腐竹"}, "苯甲酸及其钠盐、脱氢乙酸及其钠盐、铝的残留量", []string{"脱氢乙酸及其钠盐"}, "豆制品加工坊"},
}

// specialCategories are the special-food categories, licensed by the province.
var specialCategories = []foodCategory{
	{"27", "保健食品", []string{"生物科技", "保健品", "健康产业"}, []string{"维生素C咀嚼片", "蛋白粉", "钙片", "辅酶Q10软胶囊"}, "标志性成分、铅（以Pb计）、菌落总数、崩解时限", []string{"标志性成分", "崩解时限"}, ""},
	{"29", "婴幼儿配方食品", []string{"乳业", "营养食品", "婴童食品"}, []string{"婴儿配方奶粉（0-6月龄，1段）", "较大婴儿配方奶粉（6-12月龄，2段）"}, "蛋白质、维生素A、维生素D、阪崎肠杆菌、钙", []string{"维生素A", "钙"}, ""},
	{"28", "特殊医学用途配方食品", []string{"医学营养", "营养食品"}, []string{"全营养配方食品", "蛋白质组件"}, "蛋白质、脂肪、维生素B₁、菌落总数", []string{"维生素B₁"}, ""},
	{"30", "特殊膳食食品", []string{"营养食品", "婴童食品"}, []string{"婴幼儿谷类辅助食品", "婴幼儿罐装辅助食品"}, "铅（以Pb计）、蛋白质、钙", []string{"蛋白质"}, ""},
}

// sold products sampled at shops, restaurants and supermarkets.
var retailSamples = []struct{ product, tests, fail string }{
	{"鲜猪肉", "克伦特罗、莱克多巴胺、沙丁胺醇、恩诺沙星", "恩诺沙星"},
	{"豇豆", "克百威、灭蝇胺、噻虫胺、倍硫磷", "噻虫胺"},
	{"芹菜", "毒死蜱、甲拌磷、噻虫胺", "毒死蜱"},
	{"鸡蛋", "氟苯尼考、恩诺沙星、甲硝唑", "氟苯尼考"},
	{"大米", "镉（以Cd计）、黄曲霉毒素B₁", "镉（以Cd计）"},
	{"花生油", "酸价、过氧化值、黄曲霉毒素B₁、苯并[a]芘", "黄曲霉毒素B₁"},
	{"复用餐饮具", "游离性余氯、阴离子合成洗涤剂、大肠菌群", "大肠菌群"},
	{"海蛎", "镉（以Cd计）、氯霉素", "镉（以Cd计）"},
	{"牛蛙", "恩诺沙星、氧氟沙星、孔雀石绿", "恩诺沙星"},
	{"香蕉", "吡唑醚菌酯、腈苯唑", "吡唑醚菌酯"},
}

// specialEquipment kinds: registration-number prefix (设备类别代号), the
// category, variety and equipment code prefix (设备代码前四位).
type equipKind struct {
	prefix, category, variety, code string
}

var equipKinds = map[equipUse][]equipKind{
	equipElevator: {
		{"梯", "电梯", "曳引驱动乘客电梯", "3110"},
		{"梯", "电梯", "自动扶梯", "3310"},
		{"梯", "电梯", "曳引驱动载货电梯", "3210"},
	},
	equipFactory: {
		{"锅", "锅炉", "承压蒸汽锅炉", "1100"},
		{"容", "压力容器", "固定式压力容器（储气罐）", "2150"},
		{"容", "压力容器", "快开门式压力容器（灭菌锅）", "2130"},
		{"起", "起重机械", "通用桥式起重机", "4110"},
		{"车", "场（厂）内专用机动车辆", "叉车", "5110"},
	},
	equipLogistics: {
		{"车", "场（厂）内专用机动车辆", "叉车", "5110"},
		{"起", "起重机械", "门式起重机", "4210"},
		{"起", "起重机械", "塔式起重机", "4310"},
	},
	equipGas: {
		{"容", "压力容器", "液化石油气储罐", "2110"},
		{"瓶", "气瓶", "液化石油气钢瓶", "2310"},
		{"管", "压力管道", "工业管道", "8300"},
	},
}

// notificationCommitments are made when applying for a licence (告知承诺).
var notificationCommitments = []string{
	"本单位承诺已具备法律法规规定的许可条件，所提交的申请材料真实、合法、有效，愿意承担不实承诺的法律责任。",
	"本单位承诺在取得许可后按照承诺的条件从事生产经营活动，接受市场监督管理部门的核查，核查发现不实的，同意撤销许可。",
}

// voluntaryCommitments are made publicly of the enterprise's own accord
// (主动承诺), by key area ("" for any enterprise).
var voluntaryCommitments = map[credit.KeyArea]string{
	"":                          "本单位郑重承诺：守法诚信经营，依法如实公示企业年度报告和即时信息，公示信息真实、准确、完整，自觉接受社会监督。",
	credit.AreaFoodProduction:   "本单位承诺严格遵守《中华人民共和国食品安全法》，落实食品安全主体责任，按照食品安全标准组织生产，保证所生产的食品安全。",
	credit.AreaSpecialFood:      "本单位承诺严格按照注册或者备案的产品配方、生产工艺等技术要求组织生产，不作虚假宣传，保证特殊食品质量安全。",
	credit.AreaSpecialEquipment: "本单位承诺按规定使用特种设备，按期申报定期检验，落实特种设备安全管理人员和作业人员持证上岗制度。",
	credit.AreaCatering:         "本单位承诺落实餐饮服务食品安全主体责任，严格执行原料进货查验和餐饮具清洗消毒制度，不使用非食品原料。",
	credit.AreaFoodDistribution: "本单位承诺严格执行进货查验记录制度，不销售过期、变质及来源不明的食品。",
}

// foodLicenceCommitment is the notification commitment of a food producer.
const foodLicenceCommitment = "申请人承诺生产场所、设备设施、人员及管理制度符合《食品生产许可审查通则》要求，如有不实，自愿承担相应法律责任。"

const repairCommitment = "本单位申请信用修复，承诺已履行行政处罚决定规定的义务，已主动消除危害后果和不良社会影响，如有违反，自愿承担相应法律责任。"
