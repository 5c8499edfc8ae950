package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// The CSV format is for people: UTF-8 with a byte-order mark and CRLF line
// ends (so Excel opens it as UTF-8), Chinese column headers, enum values
// in Chinese, one row per record with its enterprise's name. It is not an
// import format. A cell that a spreadsheet would read as a formula (it
// starts with = + - @, a tab or a carriage return) is prefixed with an
// apostrophe: a record's text can never run in the reader's spreadsheet
// (CSV injection).

const bom = "\uFEFF"

var csvHeaders = map[store.Dataset][]string{
	store.DatasetSeriousList: {"统一社会信用代码", "企业名称", "列入决定书文号", "列入严重违法失信名单事由", "列入日期",
		"作出决定机关", "关联处罚决定书文号", "重点领域", "公示截止日期"},
	store.DatasetAbnormalList: {"统一社会信用代码", "企业名称", "列入决定书文号", "列入事由代码", "列入经营异常名录原因",
		"列入日期", "作出决定机关", "移出日期", "移出原因", "移出决定机关"},
	store.DatasetPenalties: {"统一社会信用代码", "企业名称", "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据",
		"处罚种类", "处罚内容", "罚款金额（元）", "没收金额（元）", "处罚机关", "处罚决定日期", "公示日期", "公示截止日期"},
	store.DatasetTypicalCases: {"案例编号", "标题", "案情摘要", "统一社会信用代码", "企业名称", "发布日期", "重点领域",
		"行政区划代码"},
}

var keyAreaNames = map[credit.KeyArea]string{
	credit.AreaFoodProduction: "食品生产", credit.AreaSpecialFood: "特殊食品", credit.AreaSpecialEquipment: "特种设备",
	credit.AreaFoodDistribution: "食品销售", credit.AreaCatering: "餐饮服务", credit.AreaDrug: "药品",
	credit.AreaMedicalDevice: "医疗器械", credit.AreaCosmetics: "化妆品", credit.AreaIndustrialProduct: "工业产品",
}

var penaltyTypeNames = map[credit.PenaltyType]string{
	credit.PenaltyWarning: "警告", credit.PenaltyPublicReprimand: "通报批评", credit.PenaltyFine: "罚款",
	credit.PenaltyConfiscation: "没收违法所得、没收非法财物", credit.PenaltySuspension: "责令停产停业",
	credit.PenaltyRestriction: "限制开展生产经营活动、限制从业", credit.PenaltyQualificationDowngrade: "降低资质等级",
	credit.PenaltyLicenseRevocation: "吊销许可证件", credit.PenaltyBusinessLicenseRevocation: "吊销营业执照",
	credit.PenaltyOther: "其他",
}

// table writes CSV rows.
type table struct {
	bw     *bufio.Writer
	w      *csv.Writer
	policy credit.Policy
	v      credit.Visibility
	d      store.Dataset
}

func newTable(w io.Writer, d store.Dataset, p credit.Policy, v credit.Visibility) (*table, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(bom); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	t := &table{bw: bw, w: cw, policy: p, v: v, d: d}
	return t, t.row(csvHeaders[d]...)
}

// Safe returns s as a CSV cell no spreadsheet runs as a formula.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (t *table) row(cells ...string) error {
	for i, c := range cells {
		cells[i] = Safe(c)
	}
	return t.w.Write(cells)
}

func (t *table) flush() error {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return err
	}
	return t.bw.Flush()
}

func opt(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optDate(d *string) string { return opt(d) }

func area(a *credit.KeyArea) string {
	if a == nil {
		return ""
	}
	return keyAreaNames[*a]
}

func (t *table) group(g *group) error {
	name := g.e.Name
	switch t.d {
	case store.DatasetSeriousList:
		for _, l := range g.serious {
			if err := t.row(l.USCC, name, l.DecisionNumber, opt(l.Reason), date(l.ListedOn), l.Authority,
				opt(l.PenaltyDecisionNumber), area(l.KeyArea), optDate(datePtr(t.policy.Listing(l, t.v.AsOf).EndsOn))); err != nil {
				return err
			}
		}
	case store.DatasetAbnormalList:
		for _, l := range g.abnormal {
			var on, reason, authority string
			if l.Removal != nil {
				on, reason, authority = date(l.Removal.RemovedOn), l.Removal.Reason, l.Removal.Authority
			}
			if err := t.row(l.USCC, name, l.DecisionNumber, strconv.Itoa(l.ReasonCode), opt(l.Reason), date(l.ListedOn),
				l.Authority, on, reason, authority); err != nil {
				return err
			}
		}
	case store.DatasetPenalties:
		for _, p := range g.penalties {
			types := make([]string, len(p.PenaltyTypes))
			for i, pt := range p.PenaltyTypes {
				types[i] = penaltyTypeNames[pt]
			}
			if err := t.row(p.USCC, name, p.DecisionNumber, p.ViolationType, opt(p.Facts), opt(p.Basis),
				strings.Join(types, "；"), opt(p.Content), opt(decimalPtr(p.FineAmount)), opt(decimalPtr(p.ConfiscationAmount)),
				p.Authority, date(p.DecidedOn), date(p.PublishedOn), optDate(datePtr(t.policy.Penalty(p, t.v.AsOf).EndsOn))); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *table) caseWith(c *credit.TypicalCase, e *credit.Enterprise, name string) error {
	return t.row(c.CaseID, c.Title, c.Summary, opt(c.USCC), name, date(c.PublishedOn), area(c.KeyArea), opt(c.RegionCode))
}
