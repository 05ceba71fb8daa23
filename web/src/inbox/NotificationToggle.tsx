// Desktop notifications need the operator's permission once; the sound can be switched off.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setSoundEnabled, soundEnabled } from './notifications.js';

export function NotificationToggle() {
  const { t } = useTranslation();
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  const [sound, setSound] = useState(soundEnabled);
  return (
    <>
      {supported && permission === 'default' && (
        <button
          type="button"
          className="ghost"
          onClick={() => void Notification.requestPermission().then(setPermission)}
        >
          {t('notifications.enable')}
        </button>
      )}
      <button
        type="button"
        className="ghost"
        aria-pressed={sound}
        title={t('notifications.soundHint')}
        onClick={() => {
          setSoundEnabled(!sound);
          setSound(!sound);
        }}
      >
        {sound ? t('notifications.soundOn') : t('notifications.soundOff')}
      </button>
    </>
  );
}
