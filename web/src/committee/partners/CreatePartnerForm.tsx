import { revalidate } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import { fieldError } from '../../api/error-words';
import { ErrorSummary } from '../../components/ErrorSummary';
import { fieldId } from '../../components/Field';
import { type Partner, createPartner, getPartners } from './api';
import { InputControl, SelectControl } from './controls';
import { partnerKindList, partnerKindWords } from './labels';
import { t } from './messages';
import { useSubmit } from './use-submit';

const form = 'new-partner';
const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** A new garage, training school or inspection station; its settlement account comes with it. */
export function CreatePartnerForm() {
  const submit = useSubmit(createPartner);
  const [created, setCreated] = createSignal<Partner>();
  const failure = () => submit.failure();
  const fields = () => ({
    name: { id: fieldId(form, 'name'), label: t('partnersAdmin.partner.name') },
    kind: { id: fieldId(form, 'kind'), label: t('partnersAdmin.partner.kind') },
    region: { id: fieldId(form, 'region'), label: t('partnersAdmin.partner.region') },
    address: { id: fieldId(form, 'address'), label: t('partnersAdmin.partner.address') },
    contact: { id: fieldId(form, 'contact'), label: t('partnersAdmin.partner.contact') },
  });

  return (
    <section class="panel admin-section" aria-labelledby={`${form}-heading`}>
      <h2 id={`${form}-heading`}>{t('partnersAdmin.partner.createTitle')}</h2>
      <div role="status">
        <Show when={created()}>{(partner) => <p class="notice">{t('partnersAdmin.partner.created', { name: partner().name })}</p>}</Show>
      </div>
      <form
        id={form}
        class="form"
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const element = event.currentTarget;
          const data = new FormData(element);
          setCreated(undefined);
          const partner = await submit.run({
            name: text(data, 'name'),
            kind: text(data, 'kind') as Partner['kind'],
            region: text(data, 'region'),
            ...(text(data, 'address') ? { address: text(data, 'address') } : {}),
            ...(text(data, 'contact') ? { contact: text(data, 'contact') } : {}),
          });
          if (!partner) return;
          element.reset();
          setCreated(partner);
          void revalidate(getPartners.key);
        }}
      >
        <Show when={failure()}>{(words) => <ErrorSummary words={words()} fields={fields()} />}</Show>
        <InputControl form={form} name="name" label={fields().name.label} maxLength={120} required error={fieldError(failure(), 'name')} />
        <SelectControl
          form={form}
          name="kind"
          label={fields().kind.label}
          options={partnerKindList.map((kind) => ({ value: kind, label: partnerKindWords(kind) }))}
          error={fieldError(failure(), 'kind')}
        />
        <InputControl form={form} name="region" label={fields().region.label} hint={t('partnersAdmin.partner.regionHint')} maxLength={60} required error={fieldError(failure(), 'region')} />
        <InputControl form={form} name="address" label={fields().address.label} hint={t('partnersAdmin.optional')} maxLength={200} error={fieldError(failure(), 'address')} />
        <InputControl form={form} name="contact" label={fields().contact.label} hint={t('partnersAdmin.optional')} maxLength={60} error={fieldError(failure(), 'contact')} />
        <button type="submit" class="button button--primary" disabled={submit.pending()}>
          {submit.pending() ? t('state.saving') : t('partnersAdmin.partner.create')}
        </button>
      </form>
    </section>
  );
}
