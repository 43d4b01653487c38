import { Trans, t } from '@grafana/i18n';
import React from 'react';
import { Alert, Field, FieldSet, InlineSwitch, RadioButtonGroup } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import { HTTP_AUTH_TYPES, type ConnectorSecret, type ConnectorSettings, type HTTPAuthType } from '../../shared/types';

/** The field builders of a connector's settings, shared with ConnectorsEditor. */
export interface FieldMakers {
  text: (
    field: keyof ConnectorSettings,
    label: string,
    description: string,
    placeholder?: string,
    width?: number
  ) => React.ReactNode;
  secret: (name: ConnectorSecret, label: string, description: string, multiline?: boolean) => React.ReactNode;
}

interface Props extends FieldMakers {
  index: number;
  c: ConnectorSettings;
  change: (i: number, patch: Partial<ConnectorSettings>) => void;
}

const authLabels = (): Record<HTTPAuthType, string> => ({
  none: t('datasource.httpsecurity-fields.auth-type-none', 'None'),
  basic: t('datasource.httpsecurity-fields.auth-type-basic', 'Basic'),
  bearer: t('datasource.httpsecurity-fields.auth-type-bearer', 'Bearer token'),
});
const authOptions = () => {
  const labels = authLabels();
  return HTTP_AUTH_TYPES.map((a) => ({ label: labels[a], value: a }));
};

/** An HTTP connector's authentication, TLS and proxy settings. Every secret is a secure field. */
export function HTTPSecurityFields({ index: i, c, change, text, secret }: Props) {
  const id = (field: string) => testIds.configEditor.connectorField(i, field);
  const auth = c.authType ?? 'none';
  return (
    <>
      <FieldSet label={t('datasource.httpsecurity-fields.label-authentication', 'Authentication')}>
        <Field
          label={t('datasource.httpsecurity-fields.label-auth-type', 'Auth type')}
          description={t(
            'datasource.httpsecurity-fields.description-auth-type',
            "Credentials go only to the connector's URL and below it: never to another path, host, port or scheme, even by a redirect."
          )}
        >
          <div data-testid={id('authType')}>
            <RadioButtonGroup<HTTPAuthType>
              options={authOptions()}
              value={auth}
              onChange={(authType) => change(i, { authType })}
            />
          </div>
        </Field>
        {auth === 'basic' && (
          <>
            {text(
              'user',
              t('datasource.httpsecurity-fields.label-user', 'User'),
              t('datasource.httpsecurity-fields.description-user', 'Basic auth user name.'),
              '',
              30
            )}
            {secret(
              'password',
              t('datasource.httpsecurity-fields.label-password', 'Password'),
              t(
                'datasource.httpsecurity-fields.description-password',
                'Basic auth password. Stored encrypted; never sent back to the browser.'
              )
            )}
          </>
        )}
        {auth === 'bearer' &&
          secret(
            'bearerToken',
            t('datasource.httpsecurity-fields.label-bearer-token', 'Bearer token'),
            t(
              'datasource.httpsecurity-fields.description-bearer-token',
              'Sent as "Authorization: Bearer <token>". Stored encrypted; never sent back to the browser.'
            )
          )}
        {text(
          'headerName',
          t('datasource.httpsecurity-fields.label-custom-header-name', 'Custom header name'),
          t('datasource.httpsecurity-fields.description-custom-header-name', 'Optional, e.g. X-Api-Key.'),
          'X-Api-Key',
          30
        )}
        {secret(
          'headerValue',
          t('datasource.httpsecurity-fields.label-custom-header-value', 'Custom header value'),
          t(
            'datasource.httpsecurity-fields.description-stored-encrypted',
            'Stored encrypted; never sent back to the browser.'
          )
        )}
      </FieldSet>
      <FieldSet label={t('datasource.httpsecurity-fields.label-tls', 'TLS')}>
        {secret(
          'tlsCACert',
          t('datasource.httpsecurity-fields.label-ca-certificate', 'CA certificate'),
          t(
            'datasource.httpsecurity-fields.description-ca-certificate',
            "PEM certificate of the CA that signs the server's certificate; empty trusts the system's CAs."
          ),
          true
        )}
        {secret(
          'tlsClientCert',
          t('datasource.httpsecurity-fields.label-client-certificate', 'Client certificate'),
          t('datasource.httpsecurity-fields.description-client-certificate', 'PEM, for mutual TLS; give its key too.'),
          true
        )}
        {secret(
          'tlsClientKey',
          t('datasource.httpsecurity-fields.label-client-key', 'Client key'),
          t(
            'datasource.httpsecurity-fields.description-client-key',
            'PEM private key of the client certificate (unencrypted).'
          ),
          true
        )}
        <Field
          label={t(
            'datasource.httpsecurity-fields.label-skip-certificate-verification',
            'Skip certificate verification'
          )}
          description={t(
            'datasource.httpsecurity-fields.description-skip-certificate-verification',
            'Off by default. Only for testing: anyone between Grafana and the server could read the credentials.'
          )}
        >
          <InlineSwitch
            data-testid={id('tlsSkipVerify')}
            value={Boolean(c.tlsSkipVerify)}
            onChange={(e) => change(i, { tlsSkipVerify: e.currentTarget.checked })}
          />
        </Field>
        {c.tlsSkipVerify && (
          <Alert
            severity="warning"
            title={t(
              'datasource.httpsecurity-fields.title-certificate-verification-is-off',
              'Certificate verification is off'
            )}
          >
            <Trans i18nKey="datasource.httpsecurity-fields.server-not-authenticated">
              The server is not authenticated. Give its CA certificate above and turn this off.
            </Trans>
          </Alert>
        )}
      </FieldSet>
      <FieldSet label={t('datasource.httpsecurity-fields.label-proxy', 'Proxy')}>
        {text(
          'proxyURL',
          t('datasource.httpsecurity-fields.label-proxy-url', 'Proxy URL'),
          t(
            'datasource.httpsecurity-fields.description-proxy-url',
            'Optional: http://, https:// or socks5://host:port. Empty uses the HTTPS_PROXY / HTTP_PROXY of the Grafana server.'
          ),
          'http://proxy.example.com:3128',
          50
        )}
        {c.proxyURL && (
          <>
            {text(
              'proxyUser',
              t('datasource.httpsecurity-fields.label-proxy-user', 'Proxy user'),
              t('datasource.httpsecurity-fields.description-optional', 'Optional.'),
              '',
              30
            )}
            {secret(
              'proxyPassword',
              t('datasource.httpsecurity-fields.label-proxy-password', 'Proxy password'),
              t(
                'datasource.httpsecurity-fields.description-stored-encrypted',
                'Stored encrypted; never sent back to the browser.'
              )
            )}
          </>
        )}
      </FieldSet>
    </>
  );
}
