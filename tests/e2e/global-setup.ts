import { USERS, api } from './users';

/** Makes sure the users the tests act as exist in org 1 with their roles and languages. */
export default async function globalSetup() {
  for (const name of ['editor', 'viewer', 'german'] as const) {
    const u = USERS[name];
    const found = await api<{ id: number } | undefined>(
      'admin',
      'GET',
      `/api/users/lookup?loginOrEmail=${u.login}`,
      undefined,
      [200, 404]
    ).catch(() => undefined);
    let id = found?.id;
    if (!id) {
      const created = await api<{ id: number }>('admin', 'POST', '/api/admin/users', {
        name: u.login,
        login: u.login,
        email: `${u.login}@example.com`,
        password: u.password,
        OrgId: 1,
      });
      id = created.id;
    }
    await api('admin', 'PATCH', `/api/org/users/${id}`, { role: u.role });
    if ('language' in u) {
      await api(name, 'PATCH', '/api/user/preferences', { language: u.language });
    }
  }
}
