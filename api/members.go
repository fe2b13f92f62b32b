package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// errNotMember is returned by a handler when the request's account may do
// what it asks to some surveys but not to this one: an analyst who is not
// a member of the survey. handle answers it 403.
var errNotMember = errors.New("your account is not a member of this survey")

// needsMembership reports whether role r holds permission p only on the
// surveys its account is a member of. Analysts change (upload into,
// delete imports of, save metrics of) and read the comments of their own
// surveys; admins hold their permissions on every survey, viewers read
// every survey's comments, and every reader may read every survey's
// figures, within their role.
func needsMembership(r analytics.UserRole, p analytics.Permission) bool {
	return r == analytics.RoleAnalyst && (p == analytics.PermUpload || p == analytics.PermReadComments ||
		p == analytics.PermReadPersonal)
}

// mayWriteSurvey returns nil when the request's account may change survey
// surveyID (upload into it, delete its imports, save its metrics), and
// otherwise an error wrapping errNotMember, recorded in the audit log as
// access denied. Every handler that changes a survey calls it, after its
// route's s.need(analytics.PermUpload).
func (s *Server) mayWriteSurvey(c *gin.Context, surveyID int64) error {
	return s.maySurvey(c, surveyID, analytics.PermUpload)
}

// mayReadComments is mayWriteSurvey for reading survey surveyID's
// free-text comments, after the route's
// s.need(analytics.PermReadComments).
func (s *Server) mayReadComments(c *gin.Context, surveyID int64) error {
	return s.maySurvey(c, surveyID, analytics.PermReadComments)
}

// mayReadPersonal reports whether the request's account may read the
// personal details in survey surveyID's comments as people wrote them
// (analytics.PermReadPersonal); it records nothing, since an account
// without the right still reads the comments, redacted.
func (s *Server) mayReadPersonal(c *gin.Context, surveyID int64) (bool, error) {
	return s.holds(c, surveyID, analytics.PermReadPersonal)
}

// mayChangeSurvey is mayWriteSurvey as a question a page asks to decide
// which forms to offer: it records nothing.
func (s *Server) mayChangeSurvey(c *gin.Context, surveyID int64) (bool, error) {
	return s.holds(c, surveyID, analytics.PermUpload)
}

// holds reports whether the request's account holds permission p on survey
// surveyID (0: a survey to be created, which needs the role only),
// membership included.
func (s *Server) holds(c *gin.Context, surveyID int64, p analytics.Permission) (bool, error) {
	u, ok := requestUser(c)
	if !ok || !u.Role.Can(p) {
		return false, nil
	}
	if surveyID == 0 || !needsMembership(u.Role, p) {
		return true, nil
	}
	return s.store.IsSurveyMember(c.Request.Context(), surveyID, u.ID)
}

// mayUploadInto is mayWriteSurvey for the survey called name; a name no
// survey has yet may be used by anyone allowed to upload, who becomes the
// new survey's first member (see importMember).
func (s *Server) mayUploadInto(c *gin.Context, name string) error {
	sv, err := s.store.SurveyByName(c.Request.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return s.maySurvey(c, 0, analytics.PermUpload)
	}
	if err != nil {
		return err
	}
	return s.maySurvey(c, sv.ID, analytics.PermUpload)
}

// maySurvey checks permission p on survey surveyID (0: a survey to be
// created, which needs the role only) for the request's account.
func (s *Server) maySurvey(c *gin.Context, surveyID int64, p analytics.Permission) error {
	allowed, err := s.holds(c, surveyID, p)
	if err != nil {
		return err
	}
	if allowed {
		return nil
	}
	s.audit(c, analytics.AuditAccessDenied, c.Request.Method+" "+c.Request.URL.Path, analytics.OutcomeRefused,
		fmt.Sprintf("needs %s on survey %d: not a member", p, surveyID))
	return fmt.Errorf("survey %d, %s: %w", surveyID, p, errNotMember)
}

// writableSurveys keeps the surveys of list that the request's account may
// change: an analyst's own, everyone's for an admin.
func (s *Server) writableSurveys(c *gin.Context, list []analytics.SurveySummary) ([]analytics.SurveySummary, error) {
	u, _ := requestUser(c)
	if !needsMembership(u.Role, analytics.PermUpload) {
		return list, nil
	}
	ids, err := s.store.MemberSurveys(c.Request.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(sv analytics.SurveySummary) bool {
		_, found := slices.BinarySearch(ids, sv.ID)
		return !found
	}), nil
}

// importMember is the ingest.ImportParams.Member of an import by account me: its
// id when its role may import only into its own surveys, else 0.
func importMember(me analytics.User) int64 {
	if me.ID != 0 && needsMembership(me.Role, analytics.PermUpload) {
		return me.ID
	}
	return 0
}

// notMember answers a request refused with errNotMember: 403, a page or
// JSON. The refusal was recorded when it was made.
func (s *Server) notMember(c *gin.Context) {
	const msg = "your account is not a member of this survey: ask an admin of heard to add you to it"
	if isAPI(c) {
		c.AbortWithStatusJSON(http.StatusForbidden, gin.H{"error": msg})
		return
	}
	err := s.render(c, http.StatusForbidden, "problem.html", &problemView{
		layout:  layout{Title: "Not allowed", AssetVersion: s.assetVersion},
		Heading: "You are not a member of this survey",
		Message: "Analysts upload into, delete imports of and read the comments of the surveys they are members of. " +
			"If you need this survey for your work, ask an admin of heard to add you to it.",
	})
	if err != nil {
		s.logger.Error("render the refusal", "err", err)
		c.Status(http.StatusForbidden)
	}
	c.Abort()
}
