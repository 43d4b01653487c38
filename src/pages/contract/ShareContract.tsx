import { Trans, t } from '@grafana/i18n';
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Alert, Button, ClipboardButton, Field, Input, LinkButton, Modal, Spinner, useStyles2 } from '@grafana/ui';
import { roleAtLeast, useCovenant, userRole } from '../../app/CovenantContext';
import { errorMessage } from '../../shared/api';
import { findPublicLink, shareContract, stopSharing, type PublicLink } from '../../shared/share';
import { testIds } from '../../shared/testIds';
import type { Contract } from '../../shared/types';

/** The absolute address of a Grafana path, as a manager would open it. */
export function absoluteUrl(path: string): string {
  const base = (config.appUrl || `${window.location.origin}${config.appSubUrl ?? ''}/`).replace(/\/$/, '');
  return `${base}${path}`;
}

/** Grafana lets Org Admins (or users granted dashboards.public:write) make dashboards public. */
export function canPublish(): boolean {
  return roleAtLeast(userRole(), 'Admin') || config.bootData?.user?.permissions?.['dashboards.public:write'] === true;
}

type State =
  | { step: 'loading' }
  | { step: 'unshared' }
  | { step: 'working' }
  | { step: 'shared'; link: PublicLink }
  | { step: 'failed'; message: string; link?: PublicLink };

/**
 * "Share" on a contract's page: a public link to the contract's own performance dashboard that
 * managers open without a Grafana account (Grafana's public dashboards), and stopping it.
 */
export function ShareContract({ contract }: { contract: Contract }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" icon="share-alt" onClick={() => setOpen(true)} data-testid={testIds.contract.share}>
        <Trans i18nKey="pages.share-contract.share">Share</Trans>
      </Button>
      {open && <ShareModal contract={contract} onDismiss={() => setOpen(false)} />}
    </>
  );
}

function ShareModal({ contract, onDismiss }: { contract: Contract; onDismiss: () => void }) {
  const { ds } = useCovenant();
  const styles = useStyles2(getStyles);
  const [state, setState] = useState<State>({ step: 'loading' });
  const publisher = canPublish();

  useEffect(() => {
    let live = true;
    findPublicLink(contract).then(
      (link) => live && setState(link ? { step: 'shared', link } : { step: 'unshared' }),
      (err) => live && setState({ step: 'failed', message: errorMessage(err) })
    );
    return () => {
      live = false;
    };
  }, [contract]);

  const share = async () => {
    setState({ step: 'working' });
    try {
      setState({ step: 'shared', link: await shareContract(contract, ds.uid) });
    } catch (err) {
      setState({
        step: 'failed',
        message: t('pages.share-modal.error-could-not-share', 'Could not share the contract: {{- reason}}', {
          reason: errorMessage(err),
        }),
      });
    }
  };
  const stop = async (link: PublicLink) => {
    setState({ step: 'working' });
    try {
      await stopSharing(link);
      setState({ step: 'unshared' });
    } catch (err) {
      setState({
        step: 'failed',
        message: t('pages.share-modal.error-could-not-stop-sharing', 'Could not stop sharing: {{- reason}}', {
          reason: errorMessage(err),
        }),
        link,
      });
    }
  };

  const link = state.step === 'shared' ? state.link : state.step === 'failed' ? state.link : undefined;
  return (
    <Modal
      title={t('pages.share-modal.title-share', 'Share “{{- name}}”', { name: contract.name })}
      isOpen
      onDismiss={onDismiss}
    >
      <div data-testid={testIds.share.modal}>
        <p className={styles.muted}>
          <Trans i18nKey="pages.share-modal.intro">
            A public link opens this contract&apos;s performance dashboard — scorecard, agreements and tracker trends —
            for anyone who has it, without signing in to Grafana. They see the figures only: no queries, connectors or
            secrets, and no other contract.
          </Trans>
        </p>
        {link && !link.enabled && (
          <Alert severity="warning" title={t('pages.share-modal.title-the-link-is-paused', 'The link is paused')}>
            <Trans i18nKey="pages.share-modal.link-paused">
              Grafana has this public link paused; it opens nothing until it is shared again.
            </Trans>
          </Alert>
        )}
        {state.step === 'loading' || state.step === 'working' ? (
          <Spinner />
        ) : state.step === 'failed' ? (
          <Alert
            severity="error"
            title={t('pages.share-modal.title-sharing-failed', 'Sharing failed')}
            data-testid={testIds.share.error}
          >
            {state.message}
          </Alert>
        ) : null}
        {!link && state.step === 'unshared' && !publisher && (
          <Alert
            severity="info"
            title={t('pages.share-modal.title-not-shared-yet', 'Not shared yet')}
            data-testid={testIds.share.adminOnly}
          >
            <Trans i18nKey="pages.share-modal.admin-only">
              Only an org Admin can create a public link in Grafana. Ask an Admin to share this contract; the link will
              then show here.
            </Trans>
          </Alert>
        )}
        {link && (
          <Field
            label={t('pages.share-modal.label-public-link', 'Public link')}
            description={t(
              'pages.share-modal.description-anyone-dashboard',
              'Anyone with this link can view the dashboard.'
            )}
          >
            {/* After "Create" or "Stop sharing" the button pressed is gone: the link (or the button to
                create one) takes the focus, so the keyboard stays in the dialog and Escape closes it. */}
            <Input
              autoFocus
              readOnly
              value={absoluteUrl(link.path)}
              data-testid={testIds.share.url}
              addonAfter={
                <ClipboardButton icon="copy" variant="primary" getText={() => absoluteUrl(link.path)}>
                  <Trans i18nKey="pages.share-modal.copy">Copy</Trans>
                </ClipboardButton>
              }
            />
          </Field>
        )}
        <Modal.ButtonRow>
          {link ? (
            <>
              {publisher && (
                <Button
                  variant="destructive"
                  fill="outline"
                  onClick={() => stop(link)}
                  data-testid={testIds.share.stop}
                >
                  <Trans i18nKey="pages.share-modal.stop-sharing">Stop sharing</Trans>
                </Button>
              )}
              {publisher && !link.enabled && (
                <Button onClick={share} data-testid={testIds.share.create}>
                  <Trans i18nKey="pages.share-modal.share-again">Share again</Trans>
                </Button>
              )}
              <LinkButton variant="secondary" href={absoluteUrl(link.path)} target="_blank" icon="external-link-alt">
                <Trans i18nKey="pages.share-modal.open">Open</Trans>
              </LinkButton>
            </>
          ) : (
            publisher && (
              <Button
                autoFocus
                onClick={share}
                disabled={state.step === 'loading' || state.step === 'working'}
                data-testid={testIds.share.create}
              >
                <Trans i18nKey="pages.share-modal.create-public-link">Create public link</Trans>
              </Button>
            )
          )}
          <Button variant="secondary" onClick={onDismiss}>
            <Trans i18nKey="pages.share-modal.close">Close</Trans>
          </Button>
        </Modal.ButtonRow>
      </div>
    </Modal>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  muted: css({ color: theme.colors.text.secondary }),
});
