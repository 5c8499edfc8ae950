package gen

import (
	"math/bits"
	"strconv"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Organisation codes (characters 9–17 of a USCC) are unique per dataset
// without remembering any: enterprise i gets the image of i under an affine
// bijection of the code space, drawn from the seed. Entities registered
// since the USCC reform (October 2015) and individual businesses get "MA"
// and seven characters; older ones their former eight-digit organisation
// code with its GB 11714 check character. The two classes cannot collide.

const (
	space7 = 27512614111 // 31^7
	space8 = 100_000_000 // 10^8
)

// MaxEnterprises bounds a dataset so that organisation codes stay unique.
const MaxEnterprises = space8

type affine struct{ a, b, m uint64 }

func newAffine(r rng, m uint64, coprime func(uint64) bool) affine {
	a := r.Uint64N(m-2) + 2
	for !coprime(a) {
		a++
	}
	return affine{a: a, b: r.Uint64N(m), m: m}
}

func (f affine) at(i uint64) uint64 {
	hi, lo := bits.Mul64(f.a, i)
	r := bits.Rem64(hi, lo, f.m)
	return (r + f.b) % f.m
}

var (
	usccAlphabet = credit.USCCAlphabet()
	gb11714W     = [8]int{3, 7, 9, 10, 5, 8, 4, 2}
)

// appendUSCC builds a code: 9, type, division, organisation code, check.
func appendUSCC(b []byte, typeChar byte, division string, org []byte) []byte {
	start := len(b)
	b = append(b, '9', typeChar)
	b = append(b, division...)
	b = append(b, org...)
	return append(b, credit.USCCCheckChar(string(b[start:])))
}

// newOrgCode returns the nine organisation-code characters for enterprise i.
func newOrgCode(dst []byte, i uint64, modern bool, ma, old affine) []byte {
	if modern {
		v := ma.at(i)
		var c [7]byte
		for k := 6; k >= 0; k-- {
			c[k] = usccAlphabet[v%31]
			v /= 31
		}
		dst = append(dst, 'M', 'A')
		return append(dst, c[:]...)
	}
	v := old.at(i)
	var c [8]byte
	sum := 0
	for k := 7; k >= 0; k-- {
		c[k] = byte('0' + v%10)
		v /= 10
	}
	for k := range c {
		sum += int(c[k]-'0') * gb11714W[k]
	}
	dst = append(dst, c[:]...)
	switch chk := 11 - sum%11; chk {
	case 10:
		return append(dst, 'X')
	case 11:
		return append(dst, '0')
	default:
		return append(dst, byte('0'+chk))
	}
}

var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// idNumber builds an 18-character resident ID number (GB 11643) with a
// valid check character: division, birth date, sequence (odd for men).
func idNumber(division string, birth day, seq int) string {
	b := make([]byte, 0, 18)
	b = append(b, division...)
	b = append(b, compactDate(birth)...)
	b = append(b, byte('0'+seq/100%10), byte('0'+seq/10%10), byte('0'+seq%10))
	sum := 0
	for k := 0; k < 17; k++ {
		sum += int(b[k]-'0') * idWeights[k]
	}
	return string(append(b, idCheck[sum%11]))
}

// idCheckChar returns the check character of an 18-character resident ID
// number's first 17 digits; tests use it.
func idCheckChar(first17 string) byte {
	sum := 0
	for k := 0; k < 17; k++ {
		sum += int(first17[k]-'0') * idWeights[k]
	}
	return idCheck[sum%11]
}

// luhnDigit is the check digit the generator puts on licence numbers.
func luhnDigit(digits []byte) byte {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// appendPadded appends n in at least width digits.
func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
