package analytics

import (
	"strings"
	"testing"
)

// TestAuditActionWords: every audited action reads as plain words on the
// audit page, each differently, and an unknown one is shown as it is.
func TestAuditActionWords(t *testing.T) {
	seen := map[string]AuditAction{}
	for _, a := range []AuditAction{AuditSignIn, AuditSignOut, AuditUserCreate, AuditUserDisable, AuditUserEnable,
		AuditUserRole, AuditUserPassword, AuditTokenCreate, AuditTokenRevoke, AuditImport, AuditImportDelete,
		AuditDownload, AuditRetentionSet, AuditRetentionPurge, AuditBackup, AuditMemberAdd, AuditMemberRemove,
		AuditList, AuditRead, AuditAccessDenied} {
		w := a.Words()
		if w == string(a) || w == "" || strings.Contains(w, "-") {
			t.Errorf("%s reads %q", a, w)
		}
		if other, dup := seen[w]; dup {
			t.Errorf("%s and %s both read %q", a, other, w)
		}
		seen[w] = a
	}
	if got := AuditAction("something-new").Words(); got != "something-new" {
		t.Errorf("an unknown action reads %q", got)
	}
	if n := len(AuditActions()); n != len(auditWords) {
		t.Errorf("AuditActions lists %d of %d", n, len(auditWords))
	}
}
