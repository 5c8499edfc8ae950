package gen

import (
	"strconv"
	"time"
)

// day is a civil date: days since 1970-01-01. The generator works in days
// and formats them by hand; time.Time is used only where calendar arithmetic
// must agree with credit.Period (AddDate).
type day int32

func dayOf(t time.Time) day {
	y, m, d := t.UTC().Date()
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// addDate adds years, months and days with time.AddDate semantics, as
// credit.Period does.
func (d day) addDate(years, months, days int) day {
	return dayOf(d.time().AddDate(years, months, days))
}

// weekday is 0 for Sunday … 6 for Saturday (1970-01-01 was a Thursday).
func (d day) weekday() int { return int(((int64(d)+4)%7 + 7) % 7) }

// addWorkdays moves forward n working days (Monday to Friday).
func (d day) addWorkdays(n int) day {
	for n > 0 {
		d++
		if wd := d.weekday(); wd != 0 && wd != 6 {
			n--
		}
	}
	return d
}

// civil converts to year, month, day (H. Hinnant's days_from_civil inverse).
func (d day) civil() (y, m, dd int) {
	z := int64(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, dd
}

func (d day) year() int { y, _, _ := d.civil(); return y }

func dayFromCivil(y, m, dd int) day {
	return dayOf(time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC))
}

// appendISO appends YYYY-MM-DD.
func appendISO(b []byte, d day) []byte {
	y, m, dd := d.civil()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
	return b
}

// cnDate formats 2023年5月12日.
func cnDate(d day) string {
	y, m, dd := d.civil()
	b := make([]byte, 0, 20)
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, "年"...)
	b = strconv.AppendInt(b, int64(m), 10)
	b = append(b, "月"...)
	b = strconv.AppendInt(b, int64(dd), 10)
	b = append(b, "日"...)
	return string(b)
}

// compactDate formats 20230512.
func compactDate(d day) string {
	b := appendISO(make([]byte, 0, 10), d)
	return string(append(b[:4:4], b[5], b[6], b[8], b[9]))
}

func minDay(a, b day) day {
	if a < b {
		return a
	}
	return b
}

func maxDay(a, b day) day {
	if a > b {
		return a
	}
	return b
}
