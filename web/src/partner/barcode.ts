// The Barcode Detection API is in Chromium-based browsers (Android phones among them), not yet in
// TypeScript's DOM types; this is the part of it the desk uses.
interface DetectedBarcode {
  rawValue: string;
}

export interface BarcodeDetectorInstance {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats(): Promise<string[]>;
}

function detectorClass(): BarcodeDetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

/** Whether this browser can read a QR code from a camera (it needs a secure context too). */
export async function canScanQr(): Promise<boolean> {
  const Detector = detectorClass();
  if (!Detector || typeof navigator.mediaDevices?.getUserMedia !== 'function') return false;
  try {
    return (await Detector.getSupportedFormats()).includes('qr_code');
  } catch {
    return false;
  }
}

export function qrDetector(): BarcodeDetectorInstance {
  const Detector = detectorClass();
  if (!Detector) throw new Error('BarcodeDetector is not available');
  return new Detector({ formats: ['qr_code'] });
}
