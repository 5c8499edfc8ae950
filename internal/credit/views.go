package credit

// What a public caller reads of free text. Personal data in free text
// (Redact) is hidden from PUBLIC and PARTNER in the views below, which every
// store read goes through: GraphQL, the response cache, search, export and
// the change feed all start from a store read, so none of them can show
// the original to a caller below REGULATOR. Identifiers (decision and
// licence numbers, batch numbers) and authorities' names are not free text
// and are left as they are.

// ViewLicense returns what v may see of a licence (every tier sees every
// licence): its content redacted below REGULATOR.
func (p Policy) ViewLicense(v Visibility, l License) License {
	if v.Public() {
		l.Content = RedactPtr(l.Content)
	}
	return l
}

// ViewInspection returns what v may see of an inspection result (every
// tier sees every result): the items checked and the product redacted below
// REGULATOR.
func (p Policy) ViewInspection(v Visibility, in Inspection) Inspection {
	if v.Public() {
		in.Items = RedactPtr(in.Items)
		in.Product = RedactPtr(in.Product)
	}
	return in
}

// ViewCommitment returns what v may see of a credit commitment (every tier
// sees every commitment): its content redacted below REGULATOR.
func (p Policy) ViewCommitment(v Visibility, c Commitment) Commitment {
	if v.Public() {
		c.Content = Redact(c.Content)
	}
	return c
}

// ViewCase returns what v may see of a typical case; ok is false before its
// publication date (below REGULATOR). Title and summary are redacted below
// REGULATOR.
func (p Policy) ViewCase(v Visibility, c TypicalCase) (TypicalCase, bool) {
	if !p.CaseVisible(v, c) {
		return TypicalCase{}, false
	}
	if v.Public() {
		c.Title = Redact(c.Title)
		c.Summary = Redact(c.Summary)
	}
	return c, true
}

// redactEnterprise hides personal data in an enterprise's free text.
func redactEnterprise(e *Enterprise) {
	e.Address = RedactPtr(e.Address)
	e.BusinessScope = RedactPtr(e.BusinessScope)
}

// redactPenalty hides personal data in a penalty's free text.
func redactPenalty(pen *Penalty) {
	pen.ViolationType = Redact(pen.ViolationType)
	pen.Facts = RedactPtr(pen.Facts)
	pen.Basis = RedactPtr(pen.Basis)
	pen.Content = RedactPtr(pen.Content)
}

// redactListing hides personal data in a listing's reason and its removal's.
func redactListing(l *Listing) {
	l.Reason = RedactPtr(l.Reason)
	if l.Removal != nil {
		rm := *l.Removal // the removal may be shared with the stored record
		rm.Reason = Redact(rm.Reason)
		l.Removal = &rm
	}
}
