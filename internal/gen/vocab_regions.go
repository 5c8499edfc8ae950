package gen

// Fujian's administrative divisions (GB/T 2260, county level, as in force
// since the 2021 adjustments: 梅列 merged into 三元, 沙县/龙海/长泰 became
// districts), with what the generator needs to make plausible addresses,
// authorities, decision numbers and telephone numbers. 金门县 is left out.

type city struct {
	code     string // first four digits of the division code
	name     string // without 市
	abbr     string // used in decision numbers, e.g. 榕 for 福州
	plate    string // licence-plate letter, used by special-equipment registration numbers
	areaCode string // telephone area code
	weight   int    // share of enterprises
	streets  []string
	counties []county
}

type county struct {
	code      string // six-digit division code
	name      string
	abbr      string // unique within the city; city abbr + this prefixes county decision numbers
	weight    int
	urban     bool   // a district: street addresses rather than towns and villages
	authority string // overrides the derived market-regulation authority name
}

// province is the provincial market-regulation authority.
const province = "福建省市场监督管理局"

var cities = []city{
	{code: "3501", name: "福州", abbr: "榕", plate: "A", areaCode: "0591", weight: 22,
		streets: []string{"五四路", "八一七北路", "八一七中路", "湖东路", "东街", "杨桥中路", "工业路", "华林路", "福新中路", "六一北路", "鼓屏路", "白马路", "国货西路", "金山大道", "浦上大道", "连江北路", "福飞路", "首山路", "长乐南路", "江滨中大道"},
		counties: []county{
			{code: "350102", name: "鼓楼区", abbr: "鼓", weight: 14, urban: true},
			{code: "350103", name: "台江区", abbr: "台", weight: 10, urban: true},
			{code: "350104", name: "仓山区", abbr: "仓", weight: 12, urban: true},
			{code: "350105", name: "马尾区", abbr: "马", weight: 5, urban: true},
			{code: "350111", name: "晋安区", abbr: "晋", weight: 11, urban: true},
			{code: "350112", name: "长乐区", abbr: "长", weight: 8, urban: true},
			{code: "350121", name: "闽侯县", abbr: "侯", weight: 9},
			{code: "350122", name: "连江县", abbr: "连", weight: 5},
			{code: "350123", name: "罗源县", abbr: "罗", weight: 2},
			{code: "350124", name: "闽清县", abbr: "清", weight: 2},
			{code: "350125", name: "永泰县", abbr: "泰", weight: 2},
			{code: "350128", name: "平潭县", abbr: "岚", weight: 3, authority: "平潭综合实验区市场监督管理局"},
			{code: "350181", name: "福清市", abbr: "融", weight: 12},
		}},
	{code: "3502", name: "厦门", abbr: "厦", plate: "D", areaCode: "0592", weight: 18,
		streets: []string{"湖滨南路", "厦禾路", "中山路", "思明南路", "嘉禾路", "仙岳路", "莲前西路", "海沧大道", "集美大道", "同集路", "翔安南路", "吕岭路", "环岛东路", "枋湖路", "湖里大道", "软件园二期观日路"},
		counties: []county{
			{code: "350203", name: "思明区", abbr: "思", weight: 16, urban: true},
			{code: "350205", name: "海沧区", abbr: "海", weight: 6, urban: true},
			{code: "350206", name: "湖里区", abbr: "湖", weight: 14, urban: true},
			{code: "350211", name: "集美区", abbr: "集", weight: 8, urban: true},
			{code: "350212", name: "同安区", abbr: "同", weight: 6, urban: true},
			{code: "350213", name: "翔安区", abbr: "翔", weight: 5, urban: true},
		}},
	{code: "3503", name: "莆田", abbr: "莆", plate: "B", areaCode: "0594", weight: 7,
		streets: []string{"荔城中大道", "胜利北街", "文献路", "学园南街", "梅园东路", "八二一南街", "延寿中街", "东圳路"},
		counties: []county{
			{code: "350302", name: "城厢区", abbr: "城", weight: 6, urban: true},
			{code: "350303", name: "涵江区", abbr: "涵", weight: 5, urban: true},
			{code: "350304", name: "荔城区", abbr: "荔", weight: 6, urban: true},
			{code: "350305", name: "秀屿区", abbr: "秀", weight: 4, urban: true},
			{code: "350322", name: "仙游县", abbr: "仙", weight: 5},
		}},
	{code: "3504", name: "三明", abbr: "明", plate: "G", areaCode: "0598", weight: 5,
		streets: []string{"列东街", "新市中路", "新市北路", "东新二路", "崇宁路", "工业中路"},
		counties: []county{
			{code: "350404", name: "三元区", abbr: "元", weight: 6, urban: true},
			{code: "350405", name: "沙县区", abbr: "沙", weight: 4, urban: true},
			{code: "350421", name: "明溪县", abbr: "溪", weight: 1},
			{code: "350423", name: "清流县", abbr: "流", weight: 1},
			{code: "350424", name: "宁化县", abbr: "宁", weight: 2},
			{code: "350425", name: "大田县", abbr: "田", weight: 2},
			{code: "350426", name: "尤溪县", abbr: "尤", weight: 2},
			{code: "350428", name: "将乐县", abbr: "乐", weight: 1},
			{code: "350429", name: "泰宁县", abbr: "泰", weight: 1},
			{code: "350430", name: "建宁县", abbr: "建", weight: 1},
			{code: "350481", name: "永安市", abbr: "永", weight: 3},
		}},
	{code: "3505", name: "泉州", abbr: "泉", plate: "C", areaCode: "0595", weight: 22,
		streets: []string{"刺桐路", "温陵路", "中山路", "泉秀路", "丰泽街", "田安路", "津淮街", "宝洲路", "东海大街", "世纪大道", "泉安中路", "九二路", "成功街", "长兴路"},
		counties: []county{
			{code: "350502", name: "鲤城区", abbr: "鲤", weight: 6, urban: true},
			{code: "350503", name: "丰泽区", abbr: "丰", weight: 8, urban: true},
			{code: "350504", name: "洛江区", abbr: "洛", weight: 3, urban: true},
			{code: "350505", name: "泉港区", abbr: "港", weight: 3, urban: true},
			{code: "350521", name: "惠安县", abbr: "惠", weight: 6},
			{code: "350524", name: "安溪县", abbr: "安", weight: 6},
			{code: "350525", name: "永春县", abbr: "春", weight: 3},
			{code: "350526", name: "德化县", abbr: "德", weight: 3},
			{code: "350581", name: "石狮市", abbr: "狮", weight: 7},
			{code: "350582", name: "晋江市", abbr: "晋", weight: 16},
			{code: "350583", name: "南安市", abbr: "南", weight: 10},
		}},
	{code: "3506", name: "漳州", abbr: "漳", plate: "E", areaCode: "0596", weight: 10,
		streets: []string{"胜利西路", "延安北路", "新华西路", "元光南路", "水仙大街", "漳华路", "江滨路", "龙江路"},
		counties: []county{
			{code: "350602", name: "芗城区", abbr: "芗", weight: 7, urban: true},
			{code: "350603", name: "龙文区", abbr: "文", weight: 4, urban: true},
			{code: "350604", name: "龙海区", abbr: "海", weight: 6, urban: true},
			{code: "350605", name: "长泰区", abbr: "泰", weight: 2, urban: true},
			{code: "350622", name: "云霄县", abbr: "霄", weight: 2},
			{code: "350623", name: "漳浦县", abbr: "浦", weight: 4},
			{code: "350624", name: "诏安县", abbr: "诏", weight: 2},
			{code: "350626", name: "东山县", abbr: "东", weight: 2},
			{code: "350627", name: "南靖县", abbr: "靖", weight: 2},
			{code: "350628", name: "平和县", abbr: "平", weight: 2},
			{code: "350629", name: "华安县", abbr: "华", weight: 1},
		}},
	{code: "3507", name: "南平", abbr: "延", plate: "H", areaCode: "0599", weight: 5,
		streets: []string{"滨江中路", "八一路", "解放路", "人民路", "武夷大道", "建阳大道"},
		counties: []county{
			{code: "350702", name: "延平区", abbr: "平", weight: 5, urban: true},
			{code: "350703", name: "建阳区", abbr: "阳", weight: 3, urban: true},
			{code: "350721", name: "顺昌县", abbr: "顺", weight: 1},
			{code: "350722", name: "浦城县", abbr: "浦", weight: 2},
			{code: "350723", name: "光泽县", abbr: "光", weight: 1},
			{code: "350724", name: "松溪县", abbr: "松", weight: 1},
			{code: "350725", name: "政和县", abbr: "政", weight: 1},
			{code: "350781", name: "邵武市", abbr: "邵", weight: 2},
			{code: "350782", name: "武夷山市", abbr: "夷", weight: 3},
			{code: "350783", name: "建瓯市", abbr: "瓯", weight: 3},
		}},
	{code: "3508", name: "龙岩", abbr: "龙", plate: "F", areaCode: "0597", weight: 6,
		streets: []string{"九一路", "龙岩大道", "登高西路", "华莲路", "西陂路", "北环西路", "人民中路"},
		counties: []county{
			{code: "350802", name: "新罗区", abbr: "新", weight: 8, urban: true},
			{code: "350803", name: "永定区", abbr: "定", weight: 3, urban: true},
			{code: "350821", name: "长汀县", abbr: "汀", weight: 3},
			{code: "350823", name: "上杭县", abbr: "杭", weight: 3},
			{code: "350824", name: "武平县", abbr: "武", weight: 2},
			{code: "350825", name: "连城县", abbr: "连", weight: 2},
			{code: "350881", name: "漳平市", abbr: "漳", weight: 2},
		}},
	{code: "3509", name: "宁德", abbr: "宁", plate: "J", areaCode: "0593", weight: 5,
		streets: []string{"蕉城南路", "天湖东路", "闽东中路", "福宁北路", "八一五中路", "东湖路"},
		counties: []county{
			{code: "350902", name: "蕉城区", abbr: "蕉", weight: 5, urban: true},
			{code: "350921", name: "霞浦县", abbr: "霞", weight: 3},
			{code: "350922", name: "古田县", abbr: "古", weight: 3},
			{code: "350923", name: "屏南县", abbr: "屏", weight: 1},
			{code: "350924", name: "寿宁县", abbr: "寿", weight: 1},
			{code: "350925", name: "周宁县", abbr: "周", weight: 1},
			{code: "350926", name: "柘荣县", abbr: "柘", weight: 1},
			{code: "350981", name: "福安市", abbr: "安", weight: 4},
			{code: "350982", name: "福鼎市", abbr: "鼎", weight: 4},
		}},
}

// countySpecialty biases food producers in a county to a local product
// category (SC category code): Anxi oolong, Wuyishan and Fuding tea,
// Zhangzhou canning, Xiapu and Dongshan seafood, Jinjiang pastries …
var countySpecialty = map[string]string{
	"350524": "14", "350782": "14", "350982": "14", "350981": "14", "350725": "14",
	"350604": "09", "350623": "09",
	"350921": "22", "350626": "22", "350305": "22", "350128": "22",
	"350582": "24", "350502": "24",
	"350783": "16", "350721": "16",
	"350303": "01", "350322": "01",
	"350103": "04",
	"350923": "15", "350922": "15",
}

// towns and villages for addresses outside districts.
var towns = []string{"城关镇", "凤城镇", "龙门镇", "东山镇", "南山镇", "西园镇", "青龙镇", "石门镇", "洋中镇", "坂头镇", "溪口镇", "桥头镇", "新店镇", "南埔镇", "大洋镇", "塔前镇", "白沙镇", "高山镇", "梅林镇", "华安镇", "金峰镇", "官桥镇", "洪濑镇", "东岭镇", "湖头镇"}

var villages = []string{"东山村", "西林村", "南坑村", "北洋村", "上坂村", "下洋村", "后垄村", "前埔村", "新厝村", "溪头村", "洋尾村", "湖里村", "石门村", "岭头村", "坑口村", "埔头村", "后坑村", "下宅村", "田中村", "林边村"}

var buildings = []string{"大厦", "商务中心", "广场", "花园", "小区", "工业园", "创业园", "国际中心", "商城"}

// otherProvinceIDPrefixes are division codes outside Fujian that appear in
// the ID numbers of legal representatives born elsewhere.
var otherProvinceIDPrefixes = []string{"330102", "360102", "362201", "430102", "510104", "420102", "440103", "441402", "340102", "410102", "445202", "522101"}

var mobilePrefixes = []string{"133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "176", "177", "180", "181", "183", "185", "186", "187", "188", "189", "198", "199", "131", "132"}
