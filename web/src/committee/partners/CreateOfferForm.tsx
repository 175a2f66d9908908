import { createAsync, revalidate } from '@solidjs/router';
import { Show, Suspense, createSignal } from 'solid-js';
import { type ErrorWords, fieldError } from '../../api/error-words';
import { ErrorSummary } from '../../components/ErrorSummary';
import { fieldId } from '../../components/Field';
import { addDays, dayStart } from '../../lib/programme-day';
import { type NewOffer, type Offer, createOffer, getOffers, getPartners } from './api';
import { InputControl, SelectControl, TextAreaControl } from './controls';
import { categoryList, categoryWords, limitPeriodList, limitPeriodWords } from './labels';
import { type MessageKey, t } from './messages';
import { useSubmit } from './use-submit';

const form = 'new-offer';
const grades = ['AAA', 'AA', 'A', 'B'] as const;
const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

const labels: Record<string, MessageKey> = {
  partnerId: 'partnersAdmin.offer.partner',
  category: 'partnersAdmin.offer.category',
  title: 'partnersAdmin.offer.title',
  description: 'partnersAdmin.offer.description',
  faceValue: 'partnersAdmin.offer.faceValue',
  price: 'partnersAdmin.offer.price',
  stock: 'partnersAdmin.offer.stock',
  perDriverLimit: 'partnersAdmin.offer.limit',
  limitPeriod: 'partnersAdmin.offer.limitPeriod',
  validFrom: 'partnersAdmin.offer.validFrom',
  validTo: 'partnersAdmin.offer.validTo',
  minGrade: 'partnersAdmin.offer.minGrade',
};

/** The offer the form describes, or the inputs that are not whole numbers. */
function offerFrom(data: FormData): { offer: NewOffer } | { wrong: string[] } {
  const wrong = ['stock', 'perDriverLimit'].filter((name) => !/^\d{1,7}$/.test(text(data, name)));
  if (wrong.length > 0) return { wrong };
  const validFrom = text(data, 'validFrom');
  const validTo = text(data, 'validTo');
  const minGrade = text(data, 'minGrade');
  return {
    offer: {
      partnerId: text(data, 'partnerId'),
      category: text(data, 'category') as NewOffer['category'],
      title: text(data, 'title'),
      ...(text(data, 'description') ? { description: text(data, 'description') } : {}),
      faceValue: text(data, 'faceValue'),
      price: text(data, 'price'),
      stock: Number.parseInt(text(data, 'stock'), 10),
      perDriverLimit: Number.parseInt(text(data, 'perDriverLimit'), 10),
      limitPeriod: text(data, 'limitPeriod') as NewOffer['limitPeriod'],
      // Valid from the first day's start through the whole of the last day, in programme time.
      validFrom: validFrom ? dayStart(validFrom) : null,
      validTo: validTo ? dayStart(addDays(validTo, 1)) : null,
      minGrade: minGrade ? (minGrade as NonNullable<NewOffer['minGrade']>) : null,
      submit: data.get('draft') !== 'on',
    },
  };
}

/** A new offer for a partner. It waits in the approval queue (or as a draft) until approved. */
export function CreateOfferForm(props: { onCreated: (news: string) => void }) {
  const partners = createAsync(() => getPartners());
  const submit = useSubmit(createOffer);
  const [localFailure, setLocalFailure] = createSignal<ErrorWords>();
  const failure = () => localFailure() ?? submit.failure();
  const fields = () => Object.fromEntries(Object.entries(labels).map(([name, key]) => [name, { id: fieldId(form, name), label: t(key) }]));
  const error = (name: string) => fieldError(failure(), name);

  async function create(element: HTMLFormElement) {
    const parsed = offerFrom(new FormData(element));
    if ('wrong' in parsed) {
      setLocalFailure({
        message: t('partnersAdmin.form.fix'),
        fieldErrors: parsed.wrong.map((path) => ({ path, message: t('partnersAdmin.offer.wholeNumber') })),
      });
      return;
    }
    setLocalFailure(undefined);
    const offer: Offer | undefined = await submit.run(parsed.offer);
    if (!offer) return;
    element.reset();
    props.onCreated(t(offer.status === 'draft' ? 'partnersAdmin.offer.createdDraft' : 'partnersAdmin.offer.created', { title: offer.title }));
    void revalidate(getOffers.key);
  }

  return (
    <section class="panel admin-section" aria-labelledby={`${form}-heading`}>
      <h2 id={`${form}-heading`}>{t('partnersAdmin.offer.createTitle')}</h2>
      <p class="admin-meta">{t('partnersAdmin.offer.createIntro')}</p>
      <Suspense fallback={<p class="loading">{t('app.loading')}</p>}>
        <Show when={partners()}>
          {(list) => (
            <Show when={list().items.length > 0} fallback={<p class="empty">{t('partnersAdmin.offer.noPartners')}</p>}>
              <form
                id={form}
                class="form"
                noValidate
                onSubmit={(event) => {
                  event.preventDefault();
                  void create(event.currentTarget);
                }}
              >
                <Show when={failure()}>{(words) => <ErrorSummary words={words()} fields={fields()} />}</Show>
                <SelectControl
                  form={form}
                  name="partnerId"
                  label={t(labels.partnerId!)}
                  options={list().items.map((p) => ({ value: p.id, label: p.name }))}
                  error={error('partnerId')}
                />
                <SelectControl
                  form={form}
                  name="category"
                  label={t(labels.category!)}
                  options={categoryList.map((c) => ({ value: c, label: categoryWords(c) }))}
                  error={error('category')}
                />
                <InputControl form={form} name="title" label={t(labels.title!)} maxLength={120} required error={error('title')} />
                <InputControl
                  form={form}
                  name="faceValue"
                  label={t(labels.faceValue!)}
                  hint={t('partnersAdmin.offer.faceValueHint')}
                  maxLength={120}
                  required
                  error={error('faceValue')}
                />
                <TextAreaControl form={form} name="description" label={t(labels.description!)} hint={t('partnersAdmin.optional')} maxLength={2000} error={error('description')} />
                <InputControl form={form} name="price" inputMode="decimal" label={t(labels.price!)} hint={t('partnersAdmin.offer.priceHint')} required error={error('price')} />
                <div class="admin-days">
                  <InputControl form={form} name="stock" inputMode="numeric" label={t(labels.stock!)} required error={error('stock')} />
                  <InputControl form={form} name="perDriverLimit" inputMode="numeric" label={t(labels.perDriverLimit!)} value="1" required error={error('perDriverLimit')} />
                </div>
                <SelectControl
                  form={form}
                  name="limitPeriod"
                  label={t(labels.limitPeriod!)}
                  value="month"
                  options={limitPeriodList.map((p) => ({ value: p, label: limitPeriodWords(p) }))}
                  error={error('limitPeriod')}
                />
                <div class="admin-days">
                  <InputControl form={form} name="validFrom" type="date" label={t(labels.validFrom!)} hint={t('partnersAdmin.optional')} error={error('validFrom')} />
                  <InputControl form={form} name="validTo" type="date" label={t(labels.validTo!)} hint={t('partnersAdmin.optional')} error={error('validTo')} />
                </div>
                <SelectControl
                  form={form}
                  name="minGrade"
                  label={t(labels.minGrade!)}
                  options={[{ value: '', label: t('partnersAdmin.offer.anyGrade') }, ...grades.map((g) => ({ value: g, label: g }))]}
                  error={error('minGrade')}
                />
                <div class="field">
                  <label class="admin-check">
                    <input type="checkbox" name="draft" />
                    {t('partnersAdmin.offer.draft')}
                  </label>
                </div>
                <button type="submit" class="button button--primary" disabled={submit.pending()}>
                  {submit.pending() ? t('state.saving') : t('partnersAdmin.offer.create')}
                </button>
              </form>
            </Show>
          )}
        </Show>
      </Suspense>
    </section>
  );
}
