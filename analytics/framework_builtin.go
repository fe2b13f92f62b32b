package analytics

// The frameworks heard ships, by name.
const (
	// FrameworkCQC is the CQC assessment framework for local authorities.
	FrameworkCQC = "cqc"
	// FrameworkMIR is Think Local Act Personal's Making It Real.
	FrameworkMIR = "mir"
)

// BuiltInFrameworks returns the frameworks heard ships, each time a fresh
// copy:
//
//   - the Care Quality Commission's assessment framework for local
//     authorities (cqc): its 4 themes and 9 quality statements, each
//     statement given by its name. CQC words each quality statement as a
//     "We" statement too; a council that wants that wording, or its own,
//     loads it as a framework of its own whose statements name these as
//     their parent (cqc:assessing-needs).
//   - Think Local Act Personal's Making It Real (mir): its six themes, each
//     a statement at theme level. Its "I" and "We" statements are not
//     copied here; a council loads the ones it uses, in its own wording, as
//     a framework whose statements name these themes as their parent.
//
// The ids are short and stable: tags refer to them.
func BuiltInFrameworks() []Framework {
	const (
		people     = "Working with people"
		support    = "Providing support"
		safety     = "How the local authority ensures safety within the system"
		leadership = "Leadership"
	)
	cqc := Framework{Name: FrameworkCQC, Title: "CQC assessment framework for local authorities", BuiltIn: true,
		Statements: []Statement{
			{ID: "assessing-needs", Theme: people, Text: "Assessing needs"},
			{ID: "healthier-lives", Theme: people, Text: "Supporting people to live healthier lives"},
			{ID: "equity", Theme: people, Text: "Equity in experience and outcomes"},
			{ID: "care-provision", Theme: support, Text: "Care provision, integration and continuity"},
			{ID: "partnerships", Theme: support, Text: "Partnerships and communities"},
			{ID: "safe-pathways", Theme: safety, Text: "Safe pathways, systems and transitions"},
			{ID: "safeguarding", Theme: safety, Text: "Safeguarding"},
			{ID: "governance", Theme: leadership, Text: "Governance, management and sustainability"},
			{ID: "learning", Theme: leadership, Text: "Learning, improvement and innovation"},
		}}
	mir := Framework{Name: FrameworkMIR, Title: "Making It Real (Think Local Act Personal)", BuiltIn: true}
	for _, th := range []struct{ id, name string }{
		{"wellbeing", "Wellbeing and independence"},
		{"information", "Information and advice"},
		{"communities", "Active and supportive communities"},
		{"flexible-care", "Flexible and integrated care and support"},
		{"change", "When things need to change"},
		{"workforce", "Workforce"},
	} {
		mir.Statements = append(mir.Statements, Statement{ID: th.id, Theme: th.name, Text: th.name})
	}
	return []Framework{cqc, mir}
}

// IsBuiltInFramework reports whether name is one of BuiltInFrameworks.
func IsBuiltInFramework(name string) bool {
	return name == FrameworkCQC || name == FrameworkMIR
}
