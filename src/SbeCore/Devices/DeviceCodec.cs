using SbeCore.Crossbar;

namespace SbeCore.Devices;

/// <summary>Binary form of the built-in device models (for saved tiles). A custom model is stored by name only.</summary>
internal static class DeviceCodec
{
    private const byte IdealTag = 0, ConstantStepTag = 1, LinearStepTag = 2, SoftBoundsTag = 3, ExpStepTag = 4, PowStepTag = 5,
        SoftBoundsReferenceTag = 6, OneSidedTag = 7, TransferTag = 8, CustomTag = 255;

    public static void Write(BinaryWriter w, IDeviceModel device)
    {
        switch (device)
        {
            case IdealDevice: w.Write(IdealTag); break;
            case ConstantStepDevice c: w.Write(ConstantStepTag); WriteBase(w, c); break;
            case SoftBoundsDevice s: w.Write(SoftBoundsTag); WriteLinear(w, s); break;
            case LinearStepDevice l: w.Write(LinearStepTag); WriteLinear(w, l); break;
            case ExpStepDevice e:
                w.Write(ExpStepTag); WriteBase(w, e);
                w.Write(e.AUp); w.Write(e.ADown); w.Write(e.GammaUp); w.Write(e.GammaDown); w.Write(e.A); w.Write(e.B);
                w.Write(e.DwMinStdAdd); w.Write(e.DwMinStdSlope);
                break;
            case PowStepDevice p:
                w.Write(PowStepTag); WriteBase(w, p);
                w.Write(p.PowGamma); w.Write(p.PowGammaDtod); w.Write(p.PowUpDown); w.Write(p.PowUpDownDtod);
                break;
            case SoftBoundsReferenceDevice s:
                w.Write(SoftBoundsReferenceTag); WriteBase(w, s);
                w.Write(s.SlopeUpDtod); w.Write(s.SlopeDownDtod); w.Write(s.ReferenceMean); w.Write(s.ReferenceStd); w.Write(s.MultNoise); w.Write(s.SubtractSymmetryPoint);
                break;
            case OneSidedUnitCell u:
                w.Write(OneSidedTag); Write(w, u.Device);
                w.Write(u.RefreshEvery); w.Write(u.UnitsInMbatch); w.Write(u.RefreshUpperThres); w.Write(u.RefreshLowerThres);
                CrossbarTile.WriteIO(w, u.RefreshForward); CrossbarTile.WriteUpdate(w, u.RefreshUpdate);
                break;
            case TransferCompound t:
                w.Write(TransferTag); Write(w, t.FastDevice); Write(w, t.SlowDevice);
                w.Write(t.Gamma); w.Write(t.GammaVec.HasValue); w.Write(t.GammaVec?.Fast ?? 0f); w.Write(t.GammaVec?.Slow ?? 0f);
                w.Write(t.TransferEvery); w.Write(t.UnitsInMbatch); w.Write(t.NReadsPerTransfer); w.Write(t.TransferColumns);
                w.Write(t.TransferLr); w.Write(t.ScaleTransferLr); w.Write(t.FastLr); w.Write(t.ScaleFastLr); w.Write(t.WithResetProb);
                CrossbarTile.WriteIO(w, t.TransferForward); CrossbarTile.WriteUpdate(w, t.TransferUpdate);
                break;
            default:
                w.Write(CustomTag); w.Write(device.Name); w.Write(device.ParametersPerDevice);
                break;
        }
    }

    /// <summary>Reads a device; a custom one must be supplied by the caller and match by name and parameter count.</summary>
    public static IDeviceModel Read(BinaryReader r, IDeviceModel? custom)
    {
        byte tag = r.ReadByte();
        switch (tag)
        {
            case IdealTag: return new IdealDevice();
            case ConstantStepTag: return ReadBase(r, new ConstantStepDevice());
            case SoftBoundsTag: return ReadLinear(r, new SoftBoundsDevice());
            case LinearStepTag: return ReadLinear(r, new LinearStepDevice());
            case ExpStepTag:
                var e = (ExpStepDevice)ReadBase(r, new ExpStepDevice());
                return e with
                {
                    AUp = r.ReadSingle(), ADown = r.ReadSingle(), GammaUp = r.ReadSingle(), GammaDown = r.ReadSingle(), A = r.ReadSingle(), B = r.ReadSingle(),
                    DwMinStdAdd = r.ReadSingle(), DwMinStdSlope = r.ReadSingle(),
                };
            case PowStepTag:
                var p = (PowStepDevice)ReadBase(r, new PowStepDevice());
                return p with { PowGamma = r.ReadSingle(), PowGammaDtod = r.ReadSingle(), PowUpDown = r.ReadSingle(), PowUpDownDtod = r.ReadSingle() };
            case SoftBoundsReferenceTag:
                var s = (SoftBoundsReferenceDevice)ReadBase(r, new SoftBoundsReferenceDevice());
                return s with { SlopeUpDtod = r.ReadSingle(), SlopeDownDtod = r.ReadSingle(), ReferenceMean = r.ReadSingle(), ReferenceStd = r.ReadSingle(), MultNoise = r.ReadBoolean(), SubtractSymmetryPoint = r.ReadBoolean() };
            case OneSidedTag:
                if (Read(r, null) is not PulsedDevice inner) throw new InvalidDataException("A one-sided unit cell must hold a pulsed device.");
                return new OneSidedUnitCell
                {
                    Device = inner, RefreshEvery = r.ReadInt32(), UnitsInMbatch = r.ReadBoolean(), RefreshUpperThres = r.ReadSingle(), RefreshLowerThres = r.ReadSingle(),
                    RefreshForward = CrossbarTile.ReadIO(r), RefreshUpdate = CrossbarTile.ReadUpdate(r),
                };
            case TransferTag:
                if (Read(r, null) is not PulsedDevice fast || Read(r, null) is not PulsedDevice slow) throw new InvalidDataException("A transfer compound must hold two pulsed devices.");
                float gamma = r.ReadSingle();
                bool hasVec = r.ReadBoolean();
                (float, float) vec = (r.ReadSingle(), r.ReadSingle());
                return new TransferCompound
                {
                    FastDevice = fast, SlowDevice = slow, Gamma = gamma, GammaVec = hasVec ? vec : null,
                    TransferEvery = r.ReadSingle(), UnitsInMbatch = r.ReadBoolean(), NReadsPerTransfer = r.ReadInt32(), TransferColumns = r.ReadBoolean(),
                    TransferLr = r.ReadSingle(), ScaleTransferLr = r.ReadBoolean(), FastLr = r.ReadSingle(), ScaleFastLr = r.ReadBoolean(), WithResetProb = r.ReadSingle(),
                    TransferForward = CrossbarTile.ReadIO(r), TransferUpdate = CrossbarTile.ReadUpdate(r),
                };
            case CustomTag:
                string name = r.ReadString();
                int count = r.ReadInt32();
                if (custom is null) throw new ArgumentException($"The file holds a custom device model '{name}'; pass an instance of it to Load.", "customDevice");
                if (custom.Name != name || custom.ParametersPerDevice != count)
                    throw new ArgumentException($"The file's device model is '{name}' with {count} parameters per device; the one passed is '{custom.Name}' with {custom.ParametersPerDevice}.", "customDevice");
                return custom;
            default: throw new InvalidDataException($"Unknown device model tag {tag}.");
        }
    }

    private static void WriteBase(BinaryWriter w, PulsedDevice d)
    {
        w.Write(d.DwMin); w.Write(d.DwMinDtod); w.Write(d.DwMinStd); w.Write(d.UpDown); w.Write(d.UpDownDtod);
        w.Write(d.WMax); w.Write(d.WMin); w.Write(d.WMaxDtod); w.Write(d.WMinDtod);
        w.Write(d.Reset); w.Write(d.ResetDtod); w.Write(d.ResetStd); w.Write(d.Lifetime); w.Write(d.LifetimeDtod);
        w.Write(d.Diffusion); w.Write(d.DiffusionDtod); w.Write(d.WriteNoiseStd); w.Write(d.DwMinDtodLogNormal);
    }

    private static PulsedDevice ReadBase(BinaryReader r, PulsedDevice d) => d with
    {
        DwMin = r.ReadSingle(), DwMinDtod = r.ReadSingle(), DwMinStd = r.ReadSingle(), UpDown = r.ReadSingle(), UpDownDtod = r.ReadSingle(),
        WMax = r.ReadSingle(), WMin = r.ReadSingle(), WMaxDtod = r.ReadSingle(), WMinDtod = r.ReadSingle(),
        Reset = r.ReadSingle(), ResetDtod = r.ReadSingle(), ResetStd = r.ReadSingle(), Lifetime = r.ReadSingle(), LifetimeDtod = r.ReadSingle(),
        Diffusion = r.ReadSingle(), DiffusionDtod = r.ReadSingle(), WriteNoiseStd = r.ReadSingle(), DwMinDtodLogNormal = r.ReadBoolean(),
    };

    private static void WriteLinear(BinaryWriter w, LinearStepDevice d)
    {
        WriteBase(w, d);
        w.Write(d.GammaUp); w.Write(d.GammaDown); w.Write(d.GammaUpDtod); w.Write(d.GammaDownDtod);
        w.Write(d.MultNoise); w.Write(d.MeanBoundReference); w.Write(d.AllowIncreasing);
    }

    private static LinearStepDevice ReadLinear(BinaryReader r, LinearStepDevice d)
    {
        var l = (LinearStepDevice)ReadBase(r, d);
        return l with
        {
            GammaUp = r.ReadSingle(), GammaDown = r.ReadSingle(), GammaUpDtod = r.ReadSingle(), GammaDownDtod = r.ReadSingle(),
            MultNoise = r.ReadBoolean(), MeanBoundReference = r.ReadBoolean(), AllowIncreasing = r.ReadBoolean(),
        };
    }
}
