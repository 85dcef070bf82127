import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WeightsStatus } from '../../../src-main/api/types/models';
import { setApiClient } from '../api/use-api';
import { fakeApi, type FakeApi } from '../test-support/fake-api';
import WeightsDownload from './WeightsDownload.vue';

let api: FakeApi;
const missing: WeightsStatus = {
  arch: 'resnet50',
  file: 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
  url: 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
  path: '/home/u/.cache/graft/models/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
  present: false,
  bytes: null,
};

beforeEach(() => {
  setActivePinia(createPinia());
  api = fakeApi({ 'jobs.list': () => [] });
  setApiClient(api);
});

describe('WeightsDownload', () => {
  it('offers the download, and says which file goes where for an offline machine', async () => {
    api.handlers['models.weightsStatus'] = () => missing;
    const wrapper = mount(WeightsDownload, { props: { arch: 'resnet50', archName: 'ResNet50', inputSize: 224 } });
    await flushPromises();
    expect(wrapper.find('[data-testid="download-start"]').exists()).toBe(true);
    const note = wrapper.get('[data-testid="weights-offline-note"]').text();
    expect(note).toContain(missing.url);
    expect(note).toContain(missing.path);
    expect(api.calls.find((c) => c.name === 'models.weightsStatus')?.params).toEqual({ arch: 'resnet50', inputSize: 224 });
  });

  it('says the weights are already here instead of offering a download', async () => {
    api.handlers['models.weightsStatus'] = () => ({ ...missing, present: true, bytes: 94_765_736 });
    const wrapper = mount(WeightsDownload, { props: { arch: 'resnet50', archName: 'ResNet50', inputSize: 224 } });
    await flushPromises();
    expect(wrapper.get('[data-testid="weights-present"]').text()).toMatch(/already here.*94\.8 MB/);
    expect(wrapper.find('[data-testid="download-start"]').exists()).toBe(false);
  });

  it('asks again when the input size changes', async () => {
    api.handlers['models.weightsStatus'] = () => missing;
    const wrapper = mount(WeightsDownload, { props: { arch: 'mobilenet_v2', archName: 'MobileNetV2', inputSize: 224 } });
    await flushPromises();
    await wrapper.setProps({ inputSize: 160 });
    await flushPromises();
    expect(api.calls.filter((c) => c.name === 'models.weightsStatus').map((c) => c.params)).toEqual([
      { arch: 'mobilenet_v2', inputSize: 224 },
      { arch: 'mobilenet_v2', inputSize: 160 },
    ]);
  });
});
