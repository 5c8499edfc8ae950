package credit

import "strings"

// Home and personal addresses. Published decisions stop a person's address
// at the district (住福州市鼓楼区…): the city and district say where a
// case happened, the street and house number say where someone lives. So
// after a word that introduces a person's address — 家住, 住址, 家庭住址,
// 户籍地, 户籍所在地, 居住, 居住地, 现住, 暂住, 租住, and a bare 住 after
// punctuation (张三，男，…，住福州市…) — the leading administrative divisions
// are kept (…省, …市, …区, …县, …旗, …州, …盟: at most 10 characters each)
// and the rest of the address becomes the marker.
//
// What stays: an enterprise's registered address (住所：…, 经营场所) and the
// authority's own address are public and have no such word before them.
// 住所地 is both a person's and an enterprise's; it counts only right after
// a person (张某住所地, 其本人住所地), never after 当事人, which may be a
// company. 小区, 社区, 园区, 校区 … end in 区 but are not districts: they are
// masked with the street.
//
// Where an address ends: at punctuation or a space, at 的, or at a word
// that starts the rest of the sentence (在, 于, 与, 经营, 工作 …), and after
// at most maxAddress bytes, and before a marker (an address masked before
// ends there, so a second pass finds nothing left to mask).

var addressWords = []string{
	"家庭住址", "家庭地址", "家庭住所", "家住", "住址", "户籍地址", "户籍所在地", "户籍地", "居住地址", "居住地", "居住在",
	"居住于", "居住", "现住址", "现住", "现居住", "现居", "暂住地", "暂住", "租住在", "租住于", "租住", "寄住", "住处",
	"住所地", "住在", "住",
}

// maxAddress bounds the masked part of an address, in bytes.
const maxAddress = 150

// addressConnectors stand between the word and the address.
var addressConnectors = []string{"：", "为", "于", "在", "是", "位于", "地址", "地"}

// notDistricts end in 区 but are inside a district.
var notDistricts = []string{"小区", "社区", "园区", "校区", "景区", "厂区", "片区", "街区", "营区", "矿区", "住宅区", "生活区", "商住区", "安置区", "老城区", "新城区"}

// divisionEnds end an administrative division.
var divisionEnds = []string{"特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "区", "县", "旗", "州", "盟"}

// notDivision: characters after 市 or 区 that make it a word (市场, 区域).
var notDivision = []string{"场", "民", "政", "域", "级", "内", "外", "属", "委", "直", "管", "监"}

// addressEnds end the masked part.
var addressEnds = []string{
	"的", "在", "于", "与", "和", "并", "是", "系", "被", "将", "对", "向", "从", "称", "因", "经", "期间", "附近",
	"一带", "家中", "工作", "经营", "务工", "从事", "开设", "租用",
}

// address looks for a personal address introduced by the word at s[i] and
// returns where scanning goes on, or i.
func (r *redactor) address(i int) int {
	s := r.s
	w := wordAt(s, i, wAddress)
	if w == 0 || !r.addressWord(i, w) {
		return i
	}
	j := skipConnectors(s, i+w, wAddressConnector)
	keep := divisionsEnd(s, j)
	end := addressEnd(s, keep)
	// Without a division, what follows must read as an address: 非居住房地产租赁
	// in a business scope is none.
	if keep == j && !addressLike(s, j, end) {
		return i
	}
	if end > keep {
		r.mark(keep, end)
	}
	return max(end, i+w)
}

// addressWord checks the words that are a person's address only in some
// places: a bare 住 after punctuation, 住所地 after a person.
func (r *redactor) addressWord(i, w int) bool {
	s := r.s
	switch s[i : i+w] {
	case "住":
		_, ideo := ideoBefore(s, i)
		return i > 0 && (!ideo || r.clip(i) == i) && hasWordAt(s, i+w, []string{"宿", "房", "所", "院", "户", "宅"}) == 0
	case "住所地":
		lo := r.clip(i)
		if wordBefore(s[lo:], i-lo, wKeep) > 0 {
			return false
		}
		j := i
		if w := hasWordBefore(s, j, []string{"）", ")"}); w > 0 {
			// 张某（男）住所地
			if k := strings.LastIndexAny(s[:j-w], "(（"); k >= 0 {
				j = k
			}
		}
		for k := max(0, r.n-recentSpans); k < r.n; k++ {
			if sp := r.span(k); sp.sur > 0 && sp.end == j {
				return true
			}
		}
		return j >= lo && hasWordBefore(s[lo:], j-lo, []string{"某", "其本人", "本人", "个人", "自然人", "居民", "公民"}) > 0
	}
	// 居住证, 暂住证 are documents; 住址 in 住址栏 …
	return !strings.HasPrefix(s[i+w:], "证")
}

// divisionsEnd returns the end of the administrative divisions at s[j].
func divisionsEnd(s string, j int) int {
	for {
		e := divisionEnd(s, j)
		if e < 0 {
			return j
		}
		j = e
	}
}

// divisionEnd returns the end of one division of 2–10 ideographs at s[j],
// or -1.
func divisionEnd(s string, j int) int {
	for n, k := 1, j; n <= 10; n++ {
		if _, ok := ideoAt(s, k); !ok {
			return -1
		}
		if n > 1 && wordAt(s, k, wStreet) > 0 {
			return -1
		}
		if n >= 2 {
			if w := wordAt(s, k, wDivisionEnd); w > 0 && wordBefore(s, k+w, wNotDistrict) == 0 &&
				wordAt(s, k+w, wNotDivision) == 0 {
				// 福州市: 州 ends a division too, but 市 goes with it.
				if e := k + w + hasWordAt(s, k+w, []string{"市", "区", "县"}); e > k+w && wordAt(s, e, wNotDivision) == 0 {
					return e
				}
				return k + w
			}
		}
		k += 3
	}
	return -1
}

// streetChars are below a district: a division's name never holds them
// after its first character (镇江市 does, first).
var streetChars = []string{"路", "街", "号", "村", "巷", "弄", "栋", "幢", "室", "镇", "乡"}

// detailChars mark an address below a district.
var detailChars = []string{"路", "街", "道", "号", "村", "巷", "弄", "栋", "幢", "楼", "室", "镇", "乡", "组", "队", "苑", "园", "庄", "里", "坊", "湾", "屯", "寨"}

// addressEnd returns the end of the rest of the address at s[j].
func addressEnd(s string, j int) int {
	start := j
	for j < len(s) && j-start < maxAddress {
		if wordAt(s, j, wAddressEnd) > 0 {
			break
		}
		if _, ok := ideoAt(s, j); ok {
			j += 3
			continue
		}
		if c := s[j]; isASCIIAlnum(c) || c == '-' || c == '#' || c == '/' {
			j++
			continue
		}
		if w := digitWidth(s, j); w > 0 || fullWidthAlnum(s, j) || dashAt(s, j) > 0 {
			j += max(w, 3)
			continue
		}
		break
	}
	return wordEnd(s, j)
}

// addressLike reports whether s[j:end] after a bare 住 reads as an address:
// it names a street, a village or a house number.
func addressLike(s string, j, end int) bool {
	for k := j; k < end; k++ {
		if wordAt(s, k, wDetail) > 0 {
			return true
		}
	}
	return false
}
