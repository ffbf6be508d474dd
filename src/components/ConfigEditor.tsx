import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, InlineField, Input, Stack, Text } from '@grafana/ui';

import { DEFAULT_SETTINGS, EffectiveSettings, TickstreamSettings } from '../types';
import { formatNumber, settingMax, validateSettings } from '../validation';
import { displayValue } from './displayValue';

type Props = DataSourcePluginOptionsEditorProps<TickstreamSettings>;

interface SettingSpec {
  name: keyof EffectiveSettings;
  label: string;
  tooltip: string;
}

const LABEL_WIDTH = 26;

const SPECS: SettingSpec[] = [
  {
    name: 'minTickInterval',
    label: 'Minimum tick interval (ms)',
    tooltip:
      `The smallest tickInterval a query of this data source may use, in milliseconds. ` +
      `Default ${formatNumber(DEFAULT_SETTINGS.minTickInterval)}. A whole number from 1 to ${formatNumber(settingMax('minTickInterval'))}.`,
  },
  {
    name: 'maxPointsPerSecond',
    label: 'Max points per second',
    tooltip:
      `The most points per second one stream may produce: series × 1000 / tickInterval. ` +
      `Default ${formatNumber(DEFAULT_SETTINGS.maxPointsPerSecond)}. A whole number from 1 to ${formatNumber(settingMax('maxPointsPerSecond'))}.`,
  },
  {
    name: 'maxSeries',
    label: 'Max series per query',
    tooltip:
      `The most series one query may ask for. ` +
      `Default ${formatNumber(DEFAULT_SETTINGS.maxSeries)}. A whole number from 1 to ${formatNumber(settingMax('maxSeries'))}.`,
  },
  {
    name: 'maxMessageRate',
    label: 'Max messages per second',
    tooltip:
      `The most messages per second one stream sends to the browser; ticks that come faster are sent together, ` +
      `none lost. Default ${formatNumber(DEFAULT_SETTINGS.maxMessageRate)}. A whole number from 1 to ${formatNumber(settingMax('maxMessageRate'))}.`,
  },
  {
    name: 'maxStreams',
    label: 'Max streams',
    tooltip:
      `The most streams this data source runs at once, one per distinct live query however many panels show it. ` +
      `A new live query past it gets history but no live data until a stream ends. ` +
      `Default ${formatNumber(DEFAULT_SETTINGS.maxStreams)}. A whole number from 1 to ${formatNumber(settingMax('maxStreams'))}.`,
  },
  {
    name: 'maxTotalPointsPerSecond',
    label: 'Max total points per second',
    tooltip:
      `The most points per second all streams of this data source make together; a new stream that would pass it is refused. ` +
      `Default ${formatNumber(DEFAULT_SETTINGS.maxTotalPointsPerSecond)}. A whole number from 1 to ${formatNumber(settingMax('maxTotalPointsPerSecond'))}.`,
  },
];

/**
 * ConfigEditor edits the limits of a data source. An empty box means the
 * default, which the placeholder shows, so clearing a field removes it from
 * jsonData; anything else typed is kept as typed and checked with the
 * backend's own messages. There are no secrets to configure.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData } = options;
  const { errors } = validateSettings(jsonData);

  const onSettingChange = (name: keyof EffectiveSettings) => (event: ChangeEvent<HTMLInputElement>) => {
    const next: TickstreamSettings = { ...jsonData };
    // A box the browser cannot parse ("-", "1e") is NaN and an error; only a truly empty box means the default.
    if (event.target.value === '' && !event.target.validity.badInput) {
      delete next[name];
    } else {
      next[name] = event.target.valueAsNumber;
    }
    onOptionsChange({ ...options, jsonData: next });
  };

  return (
    <Stack direction="column" gap={1}>
      <Text color="secondary">
        Tickstream generates synthetic data and needs no connection. These limits protect the Grafana server and the
        browsers from streams that are too fast or too many; leave a field empty to use its default.
      </Text>
      {errors
        .filter((e) => e.field === 'jsonData')
        .map((e) => (
          <Alert key={e.field} severity="error" title="Invalid settings">
            {e.message}
          </Alert>
        ))}
      <Stack direction="column" gap={0}>
        {SPECS.map((spec) => {
          const fieldErrors = errors.filter((e) => e.field === spec.name);
          return (
            <InlineField
              key={spec.name}
              label={spec.label}
              labelWidth={LABEL_WIDTH}
              tooltip={spec.tooltip}
              invalid={fieldErrors.length > 0}
              error={fieldErrors.map((e) => e.message).join('; ')}
              validationMessageHorizontalOverflow
            >
              <Input
                id={`tickstream-config-${spec.name}`}
                type="number"
                width={20}
                step="1"
                min={1}
                max={settingMax(spec.name)}
                aria-invalid={fieldErrors.length > 0}
                placeholder={formatNumber(DEFAULT_SETTINGS[spec.name])}
                value={displayValue(jsonData?.[spec.name])}
                onChange={onSettingChange(spec.name)}
              />
            </InlineField>
          );
        })}
      </Stack>
    </Stack>
  );
}
