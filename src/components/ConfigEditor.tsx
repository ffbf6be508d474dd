import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, InlineField, Input, Stack, Text } from '@grafana/ui';

import { DEFAULT_SETTINGS, EffectiveSettings, TickstreamSettings } from '../types';
import { formatNumber, MAX_POINTS_PER_SECOND, MAX_TICK_INTERVAL, validateSettings } from '../validation';
import { displayValue } from './displayValue';

type Props = DataSourcePluginOptionsEditorProps<TickstreamSettings>;

interface SettingSpec {
  name: keyof EffectiveSettings;
  label: string;
  tooltip: string;
  max: number;
}

const LABEL_WIDTH = 26;

const SPECS: SettingSpec[] = [
  {
    name: 'minTickInterval',
    label: 'Minimum tick interval (ms)',
    tooltip:
      `The smallest tickInterval a query of this data source may use, in milliseconds. ` +
      `Default ${formatNumber(DEFAULT_SETTINGS.minTickInterval)}. A whole number from 1 to ${formatNumber(MAX_TICK_INTERVAL)}.`,
    max: MAX_TICK_INTERVAL,
  },
  {
    name: 'maxPointsPerSecond',
    label: 'Max points per second',
    tooltip:
      `The most points per second one stream may produce (1000 / tickInterval). ` +
      `Default ${formatNumber(DEFAULT_SETTINGS.maxPointsPerSecond)}. A whole number from 1 to ${formatNumber(MAX_POINTS_PER_SECOND)}.`,
    max: MAX_POINTS_PER_SECOND,
  },
];

/**
 * ConfigEditor edits the two limits of a data source. An empty box means the
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
        Tickstream generates synthetic data and needs no connection. These limits protect the Grafana server from
        streams that are too fast; leave a field empty to use its default.
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
                max={spec.max}
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
