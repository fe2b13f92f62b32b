package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// maxBody bounds a request body; uploads get their own, larger limit.
const maxBody = 1 << 20

// reportCacheSize and reportCacheAge bound the reports kept for pages and
// the API (see reportCache).
const (
	reportCacheSize = 128
	reportCacheAge  = 10 * time.Minute
)

// Server is heard's HTTP service.
type Server struct {
	store   *store.Store
	logger  *slog.Logger
	pages   *pages
	uploads *uploads
	// jobCtx is the context of imports started from the pages: it ends
	// when the service shuts down, rolling back any import still running.
	jobCtx    context.Context
	cancelJob context.CancelFunc
	// assetVersion is the hash of the chart assets, in their URLs.
	assetVersion string
	// cache keeps the reports built for pages and the API; nil builds
	// every report afresh.
	cache *reportCache
	// sessions keep the web sessions; limiter bounds failed sign-ins;
	// hashing bounds the password checks running at once.
	sessions *sessionManagers
	limiter  *LoginLimiter
	hashing  chan struct{}
	// pacer pauses imports while other requests are served.
	pacer pacer
	// themes classifies comments in the background.
	themes *themeWorker
	// trustedProxies are the addresses whose X-Forwarded-For header names
	// the client (see ServerOptions.TrustedProxies).
	trustedProxies []string
}

// ServerOptions are the service's settings beyond the store and logger.
type ServerOptions struct {
	// UploadDir is the folder uploads are kept in while they are read and
	// imported, each heard process in a folder of its own named by its
	// pid; "" is the database's path with ".uploads" added.
	UploadDir string
	// TrustedProxies are the addresses or CIDR ranges of the reverse
	// proxies in front of heard. A request from one of them is taken to
	// come from the client its X-Forwarded-For header names, so that
	// failed sign-ins are counted against each client rather than against
	// the proxy (which would let 20 failures from anyone lock out every
	// sign-in through it). Empty trusts no header: the client is the
	// connection's address, and a client cannot pick the address its
	// failures count against.
	TrustedProxies []string
}

// NewServer builds the service over a store, with the default options.
func NewServer(st *store.Store, logger *slog.Logger) (*Server, error) {
	return NewServerWith(st, logger, ServerOptions{})
}

// NewServerWith builds the service over a store. It removes the uploads a
// heard process that is no longer running left in the uploads folder.
func NewServerWith(st *store.Store, logger *slog.Logger, opts ServerOptions) (*Server, error) {
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	if err := p.addCharts(); err != nil {
		return nil, err
	}
	version, err := dashboards.AssetVersion()
	if err != nil {
		return nil, err
	}
	if opts.UploadDir == "" && st.Path() == "" {
		// PostgreSQL: no database file to keep the uploads beside.
		opts.UploadDir = filepath.Join(os.TempDir(), "heard.uploads")
	}
	if opts.UploadDir == "" {
		opts.UploadDir = st.Path() + ".uploads"
	}
	for _, p := range opts.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return nil, fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR range (such as 10.0.0.5 or 10.0.0.0/24)", p)
			}
		}
	}
	up, err := newUploads(opts.UploadDir)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{store: st, logger: logger, pages: p, uploads: up, jobCtx: ctx, cancelJob: cancel,
		assetVersion: version, cache: newReportCache(reportCacheSize, reportCacheAge),
		limiter: NewLoginLimiter(st, DefaultLoginLimits()), hashing: make(chan struct{}, 2), themes: newThemeWorker(),
		trustedProxies: opts.TrustedProxies}
	s.SetSessionOptions(SessionOptions{})
	return s, nil
}

// Close stops imports still running (they roll back), waits for them and
// removes the uploaded files.
func (s *Server) Close() error {
	s.cancelJob()
	return s.uploads.close()
}

// Handler returns the HTTP handler with every route and middleware. The
// count of query and form parameters is checked first (limitParams).
func (s *Server) Handler() http.Handler {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(crossOriginRefused))
	return limitParams(csrf.Handler(s.sessions.wrap(s.engine())))
}

// engine is the gin engine with every route. The client address is the
// connection's, or, for a request from a trusted proxy, the address its
// X-Forwarded-For names: a client cannot pick the address its failed
// sign-ins count against.
func (s *Server) engine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	if err := r.SetTrustedProxies(s.trustedProxies); err != nil {
		s.logger.Error("trusted proxies", "err", err)
	}
	r.Use(s.recovery(), s.pacer.count(), s.requestLog(), securityHeaders(), s.authenticate())
	s.routes(r)
	return r
}

// crossOriginRefused answers a state-changing request sent from another
// site's page (cross-site request forgery).
func crossOriginRefused(w http.ResponseWriter, _ *http.Request) {
	setSecurityHeaders(w.Header())
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintln(w, "This form was sent from another site, so heard refused it. Open heard and try again from its own page.")
}

// Serve listens on addr until ctx is done, then shuts down gracefully.
// ready, if not nil, is called with the address actually listened on.
func (s *Server) Serve(ctx context.Context, addr string, ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	s.warmAll()
	s.startThemeWorker()
	s.logger.Info("heard is serving", "url", "http://"+ln.Addr().String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.logger.Info("heard stopped")
	return nil
}

func (s *Server) recovery() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		s.logger.Error("panic while serving", "path", c.Request.URL.Path, "panic", err)
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
	})
}

func (s *Server) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		s.logger.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "duration", time.Since(start), "client", c.ClientIP())
	}
}

func bodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}
