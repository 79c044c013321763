import { lazy, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { Layout } from './components/Layout';
import { Loading } from './components/FormError';

// Each page is its own chunk: the public version page never downloads the editor.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const RegisterPage = lazy(() => import('./pages/RegisterPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const WorkspacePage = lazy(() => import('./pages/WorkspacePage'));
const WorkspaceOverview = lazy(() => import('./pages/WorkspaceOverview'));
const SectionPage = lazy(() => import('./pages/SectionPage'));
const PlenaryPage = lazy(() => import('./pages/PlenaryPage'));
const VersionPage = lazy(() => import('./pages/VersionPage'));
const SubmissionsPage = lazy(() => import('./pages/SubmissionsPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

// Opening a section's link directly: fetch the editor's code now, alongside everything else,
// rather than after the workspace and the section page have loaded one after the other
// (on a slow connection that chain costs more than a second).
if (/^\/charters\/[^/]+\/sections\/[^/]+/.test(window.location.pathname)) {
  void import('./pages/WorkspacePage');
  void import('./pages/SectionPage');
  void import('./editor/SectionEditor');
}

/** Pages for signed-in people: others go to sign in and come back here afterwards. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const location = useLocation();
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}

function Home() {
  const { user } = useAuth();
  if (user === undefined) return <Loading />;
  return user ? <HomePage /> : <LoginPage />;
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="login" element={<LoginPage />} />
            <Route path="register" element={<RegisterPage />} />
            <Route path="versions/:versionId" element={<VersionPage />} />
            <Route
              path="charters/:charterId"
              element={
                <RequireUser>
                  <WorkspacePage />
                </RequireUser>
              }
            >
              <Route index element={<WorkspaceOverview />} />
              <Route path="sections/:sectionId" element={<SectionPage />} />
            </Route>
            <Route
              path="charters/:charterId/plenary"
              element={
                <RequireUser>
                  <PlenaryPage />
                </RequireUser>
              }
            />
            <Route
              path="charters/:charterId/submissions"
              element={
                <RequireUser>
                  <SubmissionsPage />
                </RequireUser>
              }
            />
            <Route
              path="charters/:charterId/audit"
              element={
                <RequireUser>
                  <AuditPage />
                </RequireUser>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
