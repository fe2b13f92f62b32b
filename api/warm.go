package api

// warm fills the kept answer counts of surveys in the background, one after
// the other, so that a survey's first dashboard after an import is as quick
// as the later ones, and wakes the theme worker to classify their new
// comments. Shutdown cancels it and waits for it.
func (s *Server) warm(surveys ...string) {
	s.classifyThemesSoon()
	s.uploads.jobs.Add(1)
	go func() {
		defer s.uploads.jobs.Done()
		for _, name := range surveys {
			sv, err := s.store.SurveyByName(s.jobCtx, name)
			if err == nil {
				err = s.store.WarmCounts(s.jobCtx, sv.ID)
			}
			if s.jobCtx.Err() != nil {
				return
			}
			if err != nil {
				s.logger.Warn("could not prepare the survey's report counts; its first report will count them", "survey", name, "err", err)
			}
		}
	}()
}

// warmAll warms every survey, at start: a database imported from the
// command line has not been warmed yet.
func (s *Server) warmAll() {
	list, err := s.store.Surveys(s.jobCtx)
	if err != nil {
		s.logger.Warn("could not list surveys to prepare their report counts", "err", err)
		return
	}
	names := make([]string, 0, len(list))
	for _, sv := range list {
		names = append(names, sv.Name)
	}
	s.warm(names...)
}
