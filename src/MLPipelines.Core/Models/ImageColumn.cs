using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MLPipelines.Core.Models;

/// <summary>
/// ML.NET sees an <c>MLImage</c> member as an image column only through <c>[ImageType(height, width)]</c>, whose
/// size is fixed at compile time. Row classes shared by models of different sizes declare the digits' 28x28
/// there; <see cref="SchemaFor{T}"/> gives the schema with a model's real size.
/// </summary>
public static class ImageColumn
{
    public static SchemaDefinition SchemaFor<T>(int width, int height)
    {
        // ML.NET maps MLImage to an image column only for sizes an ImageType attribute has registered.
        new ImageTypeAttribute(height, width).Register();
        var definition = SchemaDefinition.Create(typeof(T));
        definition[ModelSchema.Image].ColumnType = new ImageDataViewType(height, width);
        return definition;
    }
}
