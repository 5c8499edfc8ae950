package credit

// The vocabulary of name detection (see redact_names.go for how it is
// used). The lists are what a name is told apart BY, not what it is matched
// against: no list of given names exists here, and a role word is found by
// its last character (…员, …工, …者, …人), so 收银员, 驾驶员 and 质检员 need no
// entry of their own.

// singleSurnames are the common single-character surnames: the 300 most
// frequent of the national census cover about 96 % of people. Left out are
// the few that are above all function words or ordinary-word characters in
// this domain (单, 商, 区, 第, 门, 信, 是, 都 …): a name with such a surname after
// a role word is missed, a price paid so that 施工单位 or 有关部门 never read
// as names.
const singleSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕洪涂游翁卓连柴池傅练蓝宣邬管骆简饶米鲍滕项蒙宫裴麦霍郎戚车苗闵芦路景阎谷辛艾鞠冉谌季丰褚卞晏胥盛房班甄贝卜隋仇栾鄢郁凤苟缪宗巫湛粟揭容桂娄楚瞿冷虞屠姬晁蔺明荆岑邝靳植幸佘尤"

// weakSurnames are surnames that are more often a function word: 于
// (于2023年), 向 (向消费者), 任 (任何). A name starting with one is read only
// when no shorter reading without it fits (向张三 is 向 + 张三).
const weakSurnames = "于向任尚车明时幸容从和"

// compoundSurnames are read before single ones: 欧阳小明 is 欧阳 + 小明.
var compoundSurnames = []string{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
	"司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "呼延", "澹台", "钟离", "申屠", "闻人",
	"太史", "濮阳", "淳于", "公冶", "赫连", "拓跋", "万俟", "百里", "东郭", "左丘", "第五", "谷梁",
}

// roleEnds end a word for a person by themselves: 员 (店员, 收银员, 驾驶员),
// 工 (员工, 职工, 厨工), 师 (厨师, 药师), 者 (消费者, 患者, 举报者), 人 (举报人,
// 证人, 联系人), 客 (顾客, 乘客), 户 (住户, 租户), 民 (村民, 居民), 属 (家属),
// 友 (朋友, 网友), 士 (护士, 女士), 匠, 徒, 警, 官, 手 (骑手, 帮手), 亲 (父亲,
// 母亲), and kin words. A word ending in one of them that is not a person is in nonRoleWords.
const roleEnds = "员工师者人客户民属友士匠徒警官亲姐哥弟妹嫂叔姨舅爷婆妇众侣偶伴宾手"

// roleWords end in a character that ends many other words too (子: 电子,
// 长: 延长, 主: 主要): they count only as listed.
var roleWords = []string{
	"妻子", "儿子", "男子", "女子", "孙子", "侄子", "女儿", "孙女", "侄女", "子女", "之子", "之女",
	"丈夫", "前夫", "父母", "母亲", "父亲", "配偶", "同事", "同学", "邻居",
	"店长", "厂长", "组长", "队长", "班长", "村长", "家长", "科长", "局长", "所长", "站长", "校长", "院长", "馆长", "社长", "部长", "行长", "机长", "车长", "船长", "会长", "董事长", "总经理", "经理", "助理", "主任", "主管", "总监", "老板", "老板娘", "股东", "房东", "东家", "董事", "监事",
	"店主", "业主", "雇主", "车主", "房主", "货主", "摊主", "船主", "买主", "卖主", "户主",
	"主播", "网红", "博主", "代表", "户名", "姓名", "账户名", "医生", "学生", "考生", "实习生", "司机", "保安", "会计", "出纳", "厨子", "帮厨", "买家", "卖家", "店家", "卖方", "买方", "原告", "被告",
}

// nonRoleWords end like a role word but do not name a person before a
// name: 或者 (或者向…), 他人 (侵犯他人注册商标), 施工 (施工单位).
var nonRoleWords = []string{
	"或者", "再者", "前者", "后者", "两者", "二者", "三者", "他人", "个人", "本人", "人人", "工人们",
	"施工", "加工", "开工", "竣工", "完工", "手工", "人工", "分工", "停工", "复工", "动工", "化工", "监工",
	"公民", "人民", "国民", "住户数", "客户端", "账户", "帐户", "开户", "销户", "用户名", "户籍", "门户", "窗户", "落户", "过户", "入户",
	"教师节", "律师事务所", "官方", "亲自", "众多",
}

// keepWords name the party or who answers for it: the legal
// representative's name is public (GSXT shows it), and so is a natural
// person who is the party. A name after one of them stays.
var keepWords = []string{
	"法定代表人", "法人代表", "法人", "当事人", "经营者", "负责人", "投资人", "被处罚人", "被检查人",
	"被抽样人", "被申请人", "个体工商户", "个体户", "法定代表人姓名", "负责人姓名", "经营者姓名", "当事人姓名",
}

// roleNotBefore are words that start with the last character of a role
// word: 工程 in 该工程建设项目 is no 工 + 程某.
var roleNotBefore = []string{"工程", "工商", "工钱", "工时", "工段", "工艺", "属于", "师范", "人文", "人和", "民生", "客车", "户口", "者于", "人于"}

// prepositions may stand between a role word and a name: 消费者向林建国购买,
// 当事人与陈小红签订. After a keep word the name is then not the party's.
var prepositions = []string{"向", "与", "和", "对", "将", "把", "被", "让", "给", "同", "跟", "从", "替", "为"}

// staffHeads end in a keep word but name an employee: the quality or
// safety manager answers for a task, not for the party.
var staffHeads = []string{
	"质量负责人", "安全负责人", "食品安全负责人", "技术负责人", "生产负责人", "销售负责人", "现场负责人", "质量安全负责人",
	"门店负责人", "项目负责人", "车间负责人", "仓库负责人",
}

// roleConnectors stand between a role word and its name: 举报人为张三,
// 联系人：李四, 投诉人系王五.
var roleConnectors = []string{"：", "为", "是", "系", "叫", "名叫", "即", "　"}

// stopChars never belong to a given name in this text and end one: the
// particles, prepositions and verbs that follow a name in a decision
// (张三在店内, 李四称, 王五持…, 赵六驾驶…). A name is only read when it is
// followed by one of them, by punctuation or by the end: that is what keeps
// 消费者权益保护法 from reading as 权 + 益.
const stopChars = "的了在于是与及等之其该此本各每们个元年日号项条款第已未被把对向将从由自至到以因为所并且但而或均都也又再还仍就不无没非这那么吗呢吧着过地得给让叫称说讲述表系购买卖销售使用负担操驾持携拒阻冒擅私签领取交缴付支汇转存借欠骗偷盗殴打骂经按依据处后前内外间时氏记先女男同跟现曾要会能可应须作做出提反投举陈确承受介联办申填拍上下入离辞任兼接收送配运搬加制检查看听见知告通指带帮协代替证当和发隐"

// placeChars after a would-be name make it a place, a shop or a body:
// 罗源县, 马尾区, 张记, 陈氏, 林业局.
const placeChars = "区县市省镇乡村路街巷州岛店厂司社馆院局部队记氏场站庄湾"

// notNames begin with a surname and a given-name-like character but are
// ordinary words or place names of this domain.
var notNames = []string{
	"高新", "马尾", "林业", "林场", "方便", "方面", "方式", "方法", "方案", "方向", "黄金", "程序", "常规", "常年",
	"常态", "江苏", "江西", "罗源", "金华", "金额", "金属", "周边", "周围", "周期", "周末", "陈列", "陈述", "陈旧",
	"任何", "任务", "任职", "石油", "石材", "余额", "余款", "余量", "余下", "许可", "严重", "严格", "严禁", "安全",
	"安装", "安排", "安溪", "万元", "高温", "高压", "高度", "高级", "高速", "于是", "马上", "文件", "文化", "文字",
	"全部", "全面", "有关", "车辆", "车间", "关于", "管理", "华侨", "龙岩", "连江", "长乐", "宁德", "晋江", "石狮",
	"邵武", "古田", "周宁", "沙县", "尤溪", "丰泽", "柯城", "包装", "包括", "温度", "康复", "苏州", "杨梅", "叶面",
	"黎明", "明确", "明显", "明知", "易燃", "齐全", "乔木", "庞大", "章程", "鲁莽", "左右", "柳州", "甘肃", "祝贺",
	"宁夏", "符合", "纪律", "梅花", "童装", "凌晨", "毕业", "洪水", "游戏", "游泳", "卓越", "连续", "连锁", "池塘",
	"练习", "蓝色", "宣传", "管道", "简易", "米粉", "滕州", "项目", "蒙古", "宫颈", "霍乱", "郎酒", "谷物", "艾滋",
	"季度", "权益", "丰富", "盛装", "房屋", "房间", "甄别", "贝类", "卜卦", "隋唐", "商品", "商标", "冷藏", "冷冻", "冷链",
	"虞城", "屠宰", "明细", "荆州", "植物", "尤其", "黄色", "白色", "白酒", "红色", "钟表", "钱款", "雷电", "侯鸟",
	"龙头", "史料", "毛重", "熊猫", "秦皇", "江河", "田间", "董事", "袁州", "潘多", "曹县", "冯氏", "邓州", "彭州",
	"朱红", "胡椒", "郭公", "何时", "何种", "何处", "梁山", "谢绝", "宋体", "唐山", "韩国", "程度", "苏打", "魏县",
	"吕梁", "丁香", "沈阳", "姚安", "卢沟", "姜黄", "崔巍", "谭家", "陆地", "陆续", "汪洋", "范围", "夏季", "夏天",
	"付款", "付费", "白天", "白银", "邹城", "孟子", "秦岭", "邱县", "尹湾", "薛城", "段落", "黎族", "贺兰", "顾问",
	"顾客", "毛利", "郝家", "龚滩", "万一", "万能", "钱塘", "武汉", "武夷", "戴帽", "莫非", "孔雀", "汤圆", "常用",
	"温州", "康乐", "施工", "施肥", "文明", "樊城", "葛根", "安徽", "齐鲁", "易拉", "乔迁", "伍佰", "颜色", "倪氏",
	"庄园", "聂拉", "章节", "鲁菜", "岳阳", "殷切", "申请", "申报", "欧洲", "关闭", "关联", "兰州", "焦炭", "俞府",
	"左侧", "柳条", "甘蔗", "祝福", "包含", "宁波", "尚未", "符号", "舒适", "阮囊", "柯桥", "纪要", "梅州", "童年",
	"凌空", "毕节", "单位", "单据", "单价", "涂料", "涂抹", "游客", "翁源", "卓有", "柴油", "池州", "傅说", "练兵",
	"蓝天", "宣布", "邬家", "管网", "骆驼", "简单", "饶平", "米面", "鲍鱼", "滕王", "项下", "蒙山", "宫廷", "麦芽",
	"霍山", "郎中", "戚家", "车载", "苗木", "闵行", "芦笋", "路面", "路段", "景区", "阎王", "谷雨", "辛辣", "艾草",
	"冉冉", "季节", "丰收", "褚家", "卞家", "晏家", "胥口", "盛行", "房产", "班组", "班级", "甄选", "贝壳", "卜算",
	"郁金", "凤梨", "苟且", "缪斯", "宗教", "巫山", "湛江", "粟米", "揭阳", "容器", "容量", "桂林", "桂圆", "娄底",
	"楚雄", "商场", "商户", "瞿塘", "冷库", "虞美", "屠户", "姬松", "晁家", "蔺草", "明胶", "荆芥", "岑溪", "邝家",
	"靳家", "植入", "幸福", "佘山", "尤为", "时间", "时段", "时期", "向其", "任意", "车牌", "车型", "容易",
	"户籍", "于当", "于次", "于近", "于同", "于本", "于今", "于昨", "于前", "于去", "于明", "于晚", "于早", "于凌",
	"于上", "于下", "于午", "于该", "于案", "于其", "向该", "向本", "向执", "向市", "向有", "向社", "向公", "向当",
	"向消", "向买", "向顾", "向患", "向投", "向举", "向监",
}
